package org.fedtrace.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mechanism's noise, tested statistically over many draws: released minus exact count must be
 * discrete Laplace with P(z) ∝ exp(−|z|·ε/Δ), whose mean is 0, variance 2p/(1 − p)² and tails P(|z|
 * ≥ k) = 2p^k/(1 + p) for p = exp(−ε/Δ). Each check is bound at five standard errors ({@link Fit}),
 * so a correct mechanism fails one of the about ten checks of a run with probability below 10^-5;
 * the seeded runs are repeatable, and one run draws from SecureRandom as production does.
 */
class LaplaceMechanismTest {
  private static final int DRAWS = 100_000;

  private static long[] noise(LaplaceMechanism m, long count) {
    long[] out = new long[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      out[i] = m.release(count) - count;
    }
    return out;
  }

  @Test
  void noiseIsDiscreteLaplaceOfScaleSensitivityOverEpsilon() {
    ExactSampler s = new ExactSampler(new SplittableRandom(21));
    // ε = 0.5, Δ = 1: scale 2; ε = 0.2 (a fifth of one), Δ = 14: scale 70
    Fit.check(
        ExactSamplerTest.laplacePmf(2.0),
        noise(new LaplaceMechanism(s, Epsilon.parse("0.5"), 1), 12));
    Fit.check(
        ExactSamplerTest.laplacePmf(70.0),
        noise(new LaplaceMechanism(s, Epsilon.parse("0.2"), 14), 1000));
  }

  @Test
  void tailsStayWithinTheirBound() {
    LaplaceMechanism m =
        new LaplaceMechanism(new ExactSampler(new SecureRandom()), Epsilon.parse("1"), 1);
    double p = Math.exp(-1);
    long[] z = noise(m, 0);
    for (int k = 1; k <= 8; k++) {
      double tail = 2 * Math.pow(p, k) / (1 + p);
      long seen = 0;
      for (long x : z) {
        if (Math.abs(x) >= k) {
          seen++;
        }
      }
      double se = Math.sqrt(DRAWS * tail * (1 - tail));
      assertTrue(
          Math.abs(seen - DRAWS * tail) <= 5 * se + 1,
          "P(|z| >= " + k + "): saw " + seen + " of " + DRAWS + ", expected " + DRAWS * tail);
    }
  }

  @Test
  void statesItsVarianceAndScale() {
    LaplaceMechanism m =
        new LaplaceMechanism(new ExactSampler(new SplittableRandom(1)), Epsilon.parse("0.5"), 2);
    assertEquals(4.0, m.scale(), 1e-12);
    double p = Math.exp(-0.25);
    assertEquals(2 * p / ((1 - p) * (1 - p)), m.variance(), 1e-9);
  }

  @Test
  void refusesASensitivityBelowOne() {
    ExactSampler s = new ExactSampler(new SplittableRandom(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new LaplaceMechanism(s, Epsilon.parse("1"), 0));
    assertEquals("sensitivity must be at least 1: 0", e.getMessage());
  }
}
