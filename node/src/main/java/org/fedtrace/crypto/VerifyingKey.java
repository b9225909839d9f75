package org.fedtrace.crypto;

import java.security.PublicKey;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key. Immutable and thread-safe. */
public final class VerifyingKey {
  /** Length of a raw Ed25519 public key in bytes. */
  public static final int LENGTH = 32;

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final Ed25519PublicKeyParameters params;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
    this.params = new Ed25519PublicKeyParameters(raw, 0);
  }

  /** The key with the 32 raw bytes {@code raw} (RFC 8032 encoding). */
  public static VerifyingKey ofRaw(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    return new VerifyingKey(raw.clone());
  }

  /**
   * The Ed25519 key inside a certificate's public key.
   *
   * @throws IllegalArgumentException if {@code key} is not an Ed25519 key
   */
  public static VerifyingKey fromPublicKey(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null
        || spki.length != SPKI_PREFIX.length + LENGTH
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return new VerifyingKey(Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
  }

  /** The 32 raw key bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** The DER SubjectPublicKeyInfo of this key. */
  public byte[] subjectPublicKeyInfo() {
    byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + LENGTH);
    System.arraycopy(raw, 0, out, SPKI_PREFIX.length, LENGTH);
    return out;
  }

  /**
   * Checks an Ed25519 signature.
   *
   * @throws SignatureException if {@code signature} is not a valid signature of {@code message}
   *     under this key (including a signature of the wrong length)
   */
  public void verify(byte[] message, byte[] signature) throws SignatureException {
    if (signature.length != SigningKey.SIGNATURE_LENGTH) {
      throw new SignatureException("an Ed25519 signature is 64 bytes, got " + signature.length);
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, params);
    verifier.update(message, 0, message.length);
    if (!verifier.verifySignature(signature)) {
      throw new SignatureException("the signature does not verify");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey && Arrays.equals(raw, ((VerifyingKey) o).raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "VerifyingKey[" + HexFormat.of().formatHex(raw) + "]";
  }
}
