package org.fedtrace.bench.baseline;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.ObservationIndex;

/**
 * The naive baseline of the benchmarks: the index's tokens in a {@code HashSet} of {@link
 * ByteBuffer}s, and every RPI derived with a fresh {@code Cipher} ({@link NaiveRpiDeriver}). It
 * only counts RPIs present in the set (no validity windows); its rate is what matters.
 */
public final class NaiveMatcher {
  private final Set<ByteBuffer> tokens;

  /** Copies the index's distinct tokens into a hash set. */
  public NaiveMatcher(ObservationIndex index) {
    tokens = new HashSet<>(Math.max(16, index.distinctTokens() * 4 / 3 + 1));
    index.forEachToken((hi, lo) -> tokens.add(ByteBuffer.wrap(token(hi, lo))));
  }

  /** Derives every RPI of keys {@code from..to-1} and counts those in the set. */
  public long countHits(KeyBatch keys, int from, int to) {
    long hits = 0;
    for (int k = from; k < to; k++) {
      byte[] rpik = NaiveRpiDeriver.rpik(keys.keyData(k));
      for (int j = 0; j < keys.rollingPeriod(k); j++) {
        byte[] rpi = NaiveRpiDeriver.rpi(rpik, keys.rollingStart(k) + j);
        if (tokens.contains(ByteBuffer.wrap(rpi))) {
          hits++;
        }
      }
    }
    return hits;
  }

  /** The 16 bytes of a token given as its first and last 8 bytes, big-endian. */
  private static byte[] token(long hi, long lo) {
    return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
  }
}
