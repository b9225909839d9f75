package org.fedtrace.bench.workload;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.fedtrace.crypto.TemporaryExposureKey;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ObservationIndex;

/**
 * Reproducible synthetic data for benchmarks: diagnosis keys, and an index of observations that
 * holds a known number of matches of those keys among random tokens.
 *
 * <p>Keys start on one of {@value #DAYS} days from interval {@value #FIRST_INTERVAL}; one in ten
 * has a rolling period shorter than 144. Up to {@value #MAX_PLANTED_KEYS} keys, spread evenly over
 * the batch, get a planted observation of one of their RPIs, heard anywhere inside the key's window
 * including the ±12-interval tolerance; every fourth of them is heard by a second device too, and
 * every fifth also has a decoy observation of the same RPI one interval outside the window, which
 * must not match. Planted observations last 5 to 30 minutes, so some exposures are notified. All
 * other observations are random tokens spread over the same days.
 */
public final class SyntheticWorkload {
  /** First day's interval number: 2024-10-04T00:00Z. */
  public static final int FIRST_INTERVAL = 2_880_000;

  /** Days the keys and observations span. */
  public static final int DAYS = 14;

  /** Most keys that get planted observations. */
  public static final int MAX_PLANTED_KEYS = 1000;

  private static final int PROGRESS_STEP = 1 << 20;

  private final KeyBatch keys;
  private final ObservationIndex index;
  private final int plantedMatches;

  private SyntheticWorkload(KeyBatch keys, ObservationIndex index, int plantedMatches) {
    this.keys = keys;
    this.index = index;
    this.plantedMatches = plantedMatches;
  }

  /** {@code count} random keys from {@code seed}. */
  public static KeyBatch randomKeys(int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    KeyBatch.Builder b = KeyBatch.builder(count);
    byte[] key = new byte[TemporaryExposureKey.LENGTH];
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

  /** Keys and an index of {@code observations} observations, all from {@code seed}. */
  public static SyntheticWorkload generate(int observations, int keyCount, long seed) {
    return build(randomKeys(keyCount, seed), observations, seed, done -> {});
  }

  /**
   * An index of {@code observations} observations with planted matches of {@code keys}; {@code
   * progress} receives the number of observations added so far, now and then.
   */
  public static SyntheticWorkload build(
      KeyBatch keys, int observations, long seed, LongConsumer progress) {
    if (observations < 0) {
      throw new IllegalArgumentException("observations must be >= 0, got " + observations);
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    ObservationIndex index = ObservationIndex.create(observations, rnd.nextLong());
    int devices = Math.max(1, observations / 200);
    int target = Math.min(MAX_PLANTED_KEYS, keys.size());
    while (target > 0 && plantCost(target) > observations) {
      target--;
    }
    int planted = plant(keys, index, target, devices, rnd);
    int random = observations - index.size();
    int window = DAYS * KeyBatch.MAX_ROLLING_PERIOD + 2 * Matcher.TOLERANCE_INTERVALS;
    for (int i = 0; i < random; i++) {
      index.add(
          rnd.nextLong(),
          rnd.nextLong(),
          FIRST_INTERVAL - Matcher.TOLERANCE_INTERVALS + rnd.nextInt(window),
          duration(rnd),
          attenuation(rnd),
          rnd.nextInt(devices));
      if ((i + 1) % PROGRESS_STEP == 0) {
        progress.accept(index.size());
      }
    }
    progress.accept(index.size());
    return new SyntheticWorkload(keys, index, planted);
  }

  /** The diagnosis keys. */
  public KeyBatch keys() {
    return keys;
  }

  /** The observations. */
  public ObservationIndex index() {
    return index;
  }

  /** How many observations of the index match a key: what a correct match must find. */
  public int plantedMatches() {
    return plantedMatches;
  }

  /** Observations that planting {@code target} keys adds. */
  private static int plantCost(int target) {
    return target + target / 4 + target / 5;
  }

  private static int plant(
      KeyBatch keys, ObservationIndex index, int target, int devices, SplittableRandom rnd) {
    TokenDeriver deriver = TokenDeriver.create();
    byte[] rpi = new byte[TokenDeriver.TOKEN_LENGTH];
    int planted = 0;
    for (int i = 0; i < target; i++) {
      int k = (int) ((long) i * keys.size() / target);
      int start = keys.rollingStart(k);
      int period = keys.rollingPeriod(k);
      deriver.deriveRpis(keys.keyData(k), start + rnd.nextInt(period), 1, rpi, 0);
      int copies = i % 4 == 3 ? 2 : 1;
      for (int c = 0; c < copies; c++) {
        int heard = start - Matcher.TOLERANCE_INTERVALS + rnd.nextInt(period + 24);
        index.add(rpi, heard, 60 * (5 + rnd.nextInt(26)), attenuation(rnd), rnd.nextInt(devices));
        planted++;
      }
      if (i % 5 == 4) {
        int outside =
            rnd.nextBoolean()
                ? start - Matcher.TOLERANCE_INTERVALS - 1
                : start + period + Matcher.TOLERANCE_INTERVALS;
        index.add(rpi, outside, duration(rnd), attenuation(rnd), rnd.nextInt(devices));
      }
    }
    return planted;
  }

  private static int duration(SplittableRandom rnd) {
    return 60 * (1 + rnd.nextInt(10));
  }

  private static int attenuation(SplittableRandom rnd) {
    return 40 + rnd.nextInt(41);
  }
}
