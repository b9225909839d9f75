package org.fedtrace.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Checks draws against a symmetric integer distribution given by its probability mass function:
 * mean, variance, two-sided tails and a chi-square fit, each at about five standard errors.
 */
final class Fit {
  private static final double Z = 5.0;
  private static final long SUPPORT = 10_000;

  private Fit() {}

  static void check(LongToDoubleFunction pmf, long[] draws) {
    int n = draws.length;
    double m2 = 0;
    double m4 = 0;
    for (long x = -SUPPORT; x <= SUPPORT; x++) {
      double p = pmf.applyAsDouble(x);
      m2 += p * x * x;
      m4 += p * x * x * x * x;
    }
    double sum = 0;
    double sumSq = 0;
    Map<Long, Integer> counts = new HashMap<>();
    for (long x : draws) {
      sum += x;
      sumSq += (double) x * x;
      counts.merge(x, 1, Integer::sum);
    }
    double mean = sum / n;
    assertTrue(
        Math.abs(mean) <= Z * Math.sqrt(m2 / n), "mean " + mean + " is off 0, variance " + m2);
    double variance = sumSq / n;
    assertTrue(
        Math.abs(variance - m2) <= Z * Math.sqrt((m4 - m2 * m2) / n),
        "variance " + variance + ", expected " + m2);
    for (long k = 1; k <= 4; k++) {
      long cut = Math.max(k, Math.round(k * Math.sqrt(m2)));
      double expected = 0;
      for (long x = cut; x <= SUPPORT; x++) {
        expected += 2 * pmf.applyAsDouble(x);
      }
      long seen = 0;
      for (long x : draws) {
        if (Math.abs(x) >= cut) {
          seen++;
        }
      }
      double se = Math.sqrt(n * expected * (1 - expected));
      assertTrue(
          Math.abs(seen - n * expected) <= Z * se + 1,
          "tail |x| >= " + cut + ": saw " + seen + ", expected " + n * expected);
    }
    chiSquare(pmf, counts, n);
  }

  /** Bins every value expected at least 20 times, the rest in two tail bins. */
  private static void chiSquare(LongToDoubleFunction pmf, Map<Long, Integer> counts, int n) {
    long edge = 0;
    while (n * pmf.applyAsDouble(edge + 1) >= 20) {
      edge++;
    }
    double chi2 = 0;
    int bins = 0;
    double inside = 0;
    for (long x = -edge; x <= edge; x++) {
      double e = n * pmf.applyAsDouble(x);
      inside += pmf.applyAsDouble(x);
      int o = counts.getOrDefault(x, 0);
      chi2 += (o - e) * (o - e) / e;
      bins++;
    }
    if (edge < SUPPORT && inside < 1 - 1e-9) {
      double e = n * (1 - inside) / 2;
      long below = 0;
      long above = 0;
      for (Map.Entry<Long, Integer> c : counts.entrySet()) {
        if (c.getKey() < -edge) {
          below += c.getValue();
        } else if (c.getKey() > edge) {
          above += c.getValue();
        }
      }
      chi2 += (below - e) * (below - e) / e + (above - e) * (above - e) / e;
      bins += 2;
    }
    int df = bins - 1;
    double limit = df + Z * Math.sqrt(2.0 * df);
    assertTrue(chi2 <= limit, "chi-square " + chi2 + " over " + df + " degrees, limit " + limit);
  }
}
