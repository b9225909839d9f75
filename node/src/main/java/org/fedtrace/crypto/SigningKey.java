package org.fedtrace.crypto;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key (RFC 8032) that signs batches, checkpoints and authorizations.
 *
 * <p>Signing uses Bouncy Castle's Ed25519, which is deterministic: no nonce is ever drawn, so a
 * weak random source at signing time cannot leak the key. Thread-safe.
 */
public final class SigningKey implements Signer {
  /** Length of an Ed25519 signature in bytes. */
  public static final int SIGNATURE_LENGTH = 64;

  private final Ed25519PrivateKeyParameters key;
  private final VerifyingKey verifyingKey;

  private SigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.verifyingKey = VerifyingKey.ofRaw(key.generatePublicKey().getEncoded());
  }

  /** A fresh key from {@code random}. */
  public static SigningKey generate(SecureRandom random) {
    return new SigningKey(new Ed25519PrivateKeyParameters(random));
  }

  /** The key whose RFC 8032 32-byte seed is {@code seed}. */
  public static SigningKey fromSeed(SecretBytes seed) {
    if (seed.size() != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(seed.toByteArray(), 0));
  }

  /**
   * Wraps a JDK Ed25519 private key (as read from PKCS#8).
   *
   * @throws IllegalArgumentException if {@code privateKey} is not an Ed25519 key
   */
  public static SigningKey fromPrivateKey(PrivateKey privateKey) {
    if (!(privateKey instanceof EdECPrivateKey)) {
      throw new IllegalArgumentException(
          "expected an Ed25519 private key, got " + privateKey.getAlgorithm());
    }
    byte[] seed =
        ((EdECPrivateKey) privateKey)
            .getBytes()
            .orElseThrow(() -> new IllegalArgumentException("the private key is not extractable"));
    return fromSeed(SecretBytes.copyOf(seed));
  }

  /** The RFC 8032 seed, for writing the key to its owner-only file. */
  public SecretBytes seed() {
    return SecretBytes.copyOf(key.getEncoded());
  }

  /** The matching public key. */
  @Override
  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  /** Ed25519 signature (64 bytes) of {@code message}. */
  @Override
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Override
  public String toString() {
    return "SigningKey[Ed25519, redacted]";
  }
}
