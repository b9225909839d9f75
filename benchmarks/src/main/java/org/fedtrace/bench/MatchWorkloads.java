package org.fedtrace.bench;

import java.util.SplittableRandom;
import org.fedtrace.bench.workload.SyntheticWorkload;
import org.fedtrace.matching.KeyBatch;

/** Data shared by the {@code Match*} benchmarks. */
final class MatchWorkloads {
  /** Keys per invocation of the derive and pipeline benchmarks. */
  static final int KEYS = 10_000;

  /** RPIs per invocation: every key has a full day of 144. */
  static final int RPIS = KEYS * KeyBatch.MAX_ROLLING_PERIOD;

  private MatchWorkloads() {}

  /**
   * {@code count} random keys with rolling period 144, so each invocation derives a fixed count.
   */
  static KeyBatch fullDayKeys(int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    KeyBatch.Builder b = KeyBatch.builder(count);
    byte[] key = new byte[16];
    for (int i = 0; i < count; i++) {
      rnd.nextBytes(key);
      int day = rnd.nextInt(SyntheticWorkload.DAYS);
      b.add(key, SyntheticWorkload.FIRST_INTERVAL + 144 * day, 144, rnd.nextInt(9));
    }
    return b.build();
  }

  /** An index of {@code size} observations with planted matches of {@code keys}. */
  static SyntheticWorkload index(KeyBatch keys, int size) {
    return SyntheticWorkload.build(keys, size, 42, done -> {});
  }
}
