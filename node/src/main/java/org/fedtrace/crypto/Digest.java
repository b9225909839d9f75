package org.fedtrace.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 digest as a value: 32 bytes with equality, a hash code and a hex form, so that the
 * content hash of a batch or an authorization travels through APIs as itself and not as a bare
 * {@code byte[]}. Immutable; {@link #bytes} returns a copy.
 */
public final class Digest {
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The digest whose 32 bytes are {@code sha256} (copied).
   *
   * @throws IllegalArgumentException unless {@code sha256} holds 32 bytes
   */
  public static Digest of(byte[] sha256) {
    if (sha256.length != Sha256.LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-256 digest is " + Sha256.LENGTH + " bytes, got " + sha256.length);
    }
    return new Digest(sha256.clone());
  }

  /** SHA-256 of the concatenation of {@code parts}. */
  public static Digest sha256(byte[]... parts) {
    return new Digest(Sha256.hash(parts));
  }

  /** The 32 bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Lowercase hex of the 32 bytes. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
