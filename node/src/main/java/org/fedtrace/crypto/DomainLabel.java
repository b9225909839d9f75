package org.fedtrace.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Domain-separation prefixes of fedtrace's byte encodings (spec §5): an ASCII label such as {@code
 * fedtrace.v1.batch} followed by one 0x00 byte, so that bytes signed or hashed for one purpose can
 * never be read as bytes of another.
 */
public final class DomainLabel {
  private DomainLabel() {}

  /**
   * The prefix for {@code label}: its ASCII bytes, then 0x00.
   *
   * @throws IllegalArgumentException if the label is empty or not printable ASCII
   */
  public static byte[] of(String label) {
    if (label.isEmpty() || !label.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new IllegalArgumentException("a domain label is printable ASCII, got '" + label + "'");
    }
    byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(ascii, ascii.length + 1);
  }
}
