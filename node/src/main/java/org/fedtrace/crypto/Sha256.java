package org.fedtrace.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests. */
public final class Sha256 {
  /** Digest length in bytes. */
  public static final int LENGTH = 32;

  private Sha256() {}

  /** A new SHA-256 {@link MessageDigest}, for incremental hashing. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** SHA-256 of the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    MessageDigest md = newDigest();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }
}
