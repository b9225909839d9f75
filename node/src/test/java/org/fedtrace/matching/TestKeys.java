package org.fedtrace.matching;

import java.util.SplittableRandom;

/**
 * Random diagnosis keys for the engine's tests, reproducible from a seed.
 *
 * <p>Keys start on one of {@value #DAYS} days from interval {@value #FIRST_INTERVAL}; one in ten
 * has a rolling period shorter than 144, one in four has no days since onset.
 */
final class TestKeys {
  /** First day's interval number: 2024-10-04T00:00Z. */
  static final int FIRST_INTERVAL = 2_880_000;

  /** Days the keys span. */
  static final int DAYS = 14;

  private TestKeys() {}

  /** {@code count} random keys from {@code seed}. */
  static KeyBatch random(int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    KeyBatch.Builder b = KeyBatch.builder(count);
    byte[] key = new byte[16];
    for (int i = 0; i < count; i++) {
      rnd.nextBytes(key);
      int start = FIRST_INTERVAL + KeyBatch.MAX_ROLLING_PERIOD * rnd.nextInt(DAYS);
      int period = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(143) : KeyBatch.MAX_ROLLING_PERIOD;
      int trl = rnd.nextInt(KeyBatch.MAX_TRANSMISSION_RISK_LEVEL + 1);
      if (rnd.nextInt(4) == 0) {
        b.add(key, start, period, trl);
      } else {
        b.add(key, start, period, trl, rnd.nextInt(29) - 14);
      }
    }
    return b.build();
  }
}
