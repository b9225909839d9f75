package org.fedtrace.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * A Temporary Exposure Key (TEK): 16 random bytes that a device uses for one day (up to 144
 * ten-minute intervals) to derive its rolling proximity identifiers.
 *
 * <p>Before diagnosis a TEK is a secret of the device; once uploaded it becomes a diagnosis key and
 * is published. The type still redacts it from {@code toString} so that logs never carry key
 * material.
 */
public final class TemporaryExposureKey {
  /** Length of a TEK in bytes. */
  public static final int LENGTH = 16;

  private final byte[] bytes;

  private TemporaryExposureKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh random key. */
  public static TemporaryExposureKey generate(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new TemporaryExposureKey(b);
  }

  /**
   * Wraps existing key bytes.
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly 16 bytes long
   */
  public static TemporaryExposureKey of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a temporary exposure key is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new TemporaryExposureKey(bytes.clone());
  }

  /** Returns a copy of the key bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TemporaryExposureKey
        && MessageDigest.isEqual(bytes, ((TemporaryExposureKey) o).bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "TemporaryExposureKey[redacted]";
  }
}
