package org.fedtrace.crypto;

/**
 * Signs messages with a private key that the caller never sees: the one interface through which
 * batches, checkpoints and upload authorizations are signed. {@link SigningKey} implements it with
 * a key in memory; a key held in an HSM or a KMS plugs in behind the same two methods, its callers
 * unchanged. Implementations are thread-safe.
 */
public interface Signer {
  /**
   * The Ed25519 signature (64 bytes) of {@code message}.
   *
   * @throws IllegalStateException if the key cannot sign (an HSM that is unreachable, say)
   */
  byte[] sign(byte[] message);

  /** The public key that verifies this signer's signatures. */
  VerifyingKey verifyingKey();
}
