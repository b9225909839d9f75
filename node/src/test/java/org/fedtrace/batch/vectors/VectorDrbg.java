package org.fedtrace.batch.vectors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedtrace.crypto.Sha256;

/**
 * The deterministic byte source of the vector generators: SHA-256 in counter mode over a fixed
 * label, so that a generator run yields the same keys, ids and signatures on every machine and JDK.
 *
 * <pre>
 * block_i = SHA-256("fedtrace.testvectors.drbg" 0x00 | label | u64 i), i = 0, 1, 2, ...
 * </pre>
 *
 * <p>Each request for n bytes takes the next ceil(n / 32) blocks and truncates them to n bytes.
 * This is a generator of test data only: its seed is public. (A seeded {@code SHA1PRNG} would work
 * on one JDK, but its output is not specified across providers, and a vector file must never change
 * because the JDK did.)
 */
public final class VectorDrbg {
  private final byte[] domain;
  private final byte[] label;
  private long counter;

  /** A source whose output is a function of {@code label} only. */
  VectorDrbg(String label) {
    this("fedtrace.testvectors.drbg", label);
  }

  /** A source of its own {@code domain} (the generator's), whose output depends on label only. */
  public VectorDrbg(String domain, String label) {
    this.domain = (domain + "\0").getBytes(StandardCharsets.US_ASCII);
    this.label = label.getBytes(StandardCharsets.UTF_8);
  }

  /** The next {@code n} bytes. */
  public byte[] bytes(int n) {
    byte[] out = new byte[n];
    for (int filled = 0; filled < n; filled += Sha256.LENGTH) {
      byte[] block = Sha256.hash(domain, label, ByteBuffer.allocate(8).putLong(counter++).array());
      System.arraycopy(block, 0, out, filled, Math.min(Sha256.LENGTH, n - filled));
    }
    return out;
  }

  /**
   * A number in {@code 0 .. bound - 1}; bound is at most 2^16, so the modulo bias is below 2^-16.
   */
  int below(int bound) {
    if (bound < 1 || bound > 1 << 16) {
      throw new IllegalArgumentException("bound must be in 1..65536, got " + bound);
    }
    return (int) (Integer.toUnsignedLong(ByteBuffer.wrap(bytes(4)).getInt()) % bound);
  }

  /** A copy of {@code items} in an order drawn from this source (Fisher-Yates). */
  <T> List<T> shuffled(List<T> items) {
    List<T> out = new ArrayList<>(items);
    for (int i = out.size() - 1; i > 0; i--) {
      Collections.swap(out, i, below(i + 1));
    }
    return out;
  }
}
