package org.fedtrace.sim.metrics;

import java.util.Arrays;

/** Nearest-rank percentiles. */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The nearest-rank {@code p}-th percentile of {@code values}: the smallest value such that at
   * least {@code p}% of the values are at most it; NaN for no values.
   */
  public static double nearestRank(long[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
