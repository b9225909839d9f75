package org.fedtrace.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret key material with explicit raw access, constant-time comparison and no {@code toString}
 * that could leak it into a log.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; later changes to the array do not affect the secret. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** Returns a copy of the secret bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Length in bytes. */
  public int size() {
    return bytes.length;
  }

  /** Constant-time equality of two secrets. */
  public boolean equalsSecretBytes(SecretBytes other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Overwrites the secret with zeros. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
