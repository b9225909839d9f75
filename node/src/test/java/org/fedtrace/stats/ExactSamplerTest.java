package org.fedtrace.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The samplers' distributions, tested statistically over many draws from a seeded source (so a run
 * is repeatable): mean, variance, tails and a chi-square goodness of fit, each bound at about five
 * standard errors, which a correct sampler breaks about once in a million runs. {@link
 * #theFitRejectsAWrongScale} shows the checks have the power to catch a sampler that is off.
 */
class ExactSamplerTest {
  private static final int DRAWS = 200_000;

  private static ExactSampler seeded(long seed) {
    return new ExactSampler(new SplittableRandom(seed));
  }

  @Test
  void bernoulliExpHasProbabilityExpMinusGamma() {
    ExactSampler s = seeded(1);
    long[][] gammas = {{0, 1}, {1, 2}, {1, 1}, {5, 2}, {7, 3}};
    for (long[] g : gammas) {
      double p = Math.exp(-(double) g[0] / g[1]);
      int hits = 0;
      for (int i = 0; i < DRAWS; i++) {
        if (s.bernoulliExp(BigInteger.valueOf(g[0]), BigInteger.valueOf(g[1]))) {
          hits++;
        }
      }
      double se = Math.sqrt(p * (1 - p) / DRAWS);
      double seen = (double) hits / DRAWS;
      assertTrue(
          Math.abs(seen - p) <= 5 * se + 1e-12,
          "exp(-" + g[0] + "/" + g[1] + "): expected " + p + ", saw " + seen);
    }
  }

  @Test
  void uniformIsUnbiasedAboveSixtyThreeBits() {
    ExactSampler s = seeded(2);
    BigInteger bound =
        BigInteger.ONE
            .shiftLeft(64)
            .add(BigInteger.valueOf(3))
            .divide(BigInteger.valueOf(3)); // about 2^64/3: a third of the top half of the range
    BigInteger third = bound.divide(BigInteger.valueOf(3));
    int low = 0;
    for (int i = 0; i < 30_000; i++) {
      BigInteger u = s.uniform(bound);
      assertTrue(u.signum() >= 0 && u.compareTo(bound) < 0, "out of range: " + u);
      if (u.compareTo(third) < 0) {
        low++;
      }
    }
    double se = Math.sqrt(30_000 * (1.0 / 3) * (2.0 / 3));
    assertTrue(Math.abs(low - 10_000) <= 5 * se, "draws below a third: " + low);
  }

  @Test
  void discreteLaplaceOfIntegerScaleFitsItsDistribution() {
    Fit.check(laplacePmf(3.0), draws(seeded(3), s -> s.discreteLaplace(3, 1)));
  }

  @Test
  void discreteLaplaceOfFractionalScaleFitsItsDistribution() {
    Fit.check(laplacePmf(2.5), draws(seeded(4), s -> s.discreteLaplace(5, 2)));
    Fit.check(laplacePmf(0.4), draws(seeded(5), s -> s.discreteLaplace(2, 5)));
  }

  @Test
  void discreteGaussianFitsItsDistribution() {
    Fit.check(gaussianPmf(4.0), draws(seeded(6), s -> s.discreteGaussian(4, 1)));
    Fit.check(gaussianPmf(10.0 / 3), draws(seeded(7), s -> s.discreteGaussian(10, 3)));
    Fit.check(gaussianPmf(0.25), draws(seeded(8), s -> s.discreteGaussian(1, 4)));
  }

  @Test
  void theFitRejectsAWrongScale() {
    long[] scaleThreePointThree = draws(seeded(9), s -> s.discreteLaplace(33, 10));
    AssertionError e =
        assertThrows(AssertionError.class, () -> Fit.check(laplacePmf(3.0), scaleThreePointThree));
    assertTrue(e.getMessage().contains("variance") || e.getMessage().contains("chi-square"));
    long[] shifted = draws(seeded(10), s -> s.discreteLaplace(3, 1) + 1);
    assertThrows(AssertionError.class, () -> Fit.check(laplacePmf(3.0), shifted));
  }

  @Test
  void aSecureRandomSourceDrawsToo() {
    ExactSampler s = new ExactSampler(new SecureRandom());
    long[] x = new long[20_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = s.discreteLaplace(10, 1);
    }
    Fit.check(laplacePmf(10.0), x);
  }

  @Test
  void refusesParametersOutsideTheirDomain() {
    ExactSampler s = seeded(11);
    assertEquals(
        "scale must be positive: 0/1",
        assertThrows(IllegalArgumentException.class, () -> s.discreteLaplace(0, 1)).getMessage());
    assertEquals(
        "variance must be positive: -1",
        assertThrows(IllegalArgumentException.class, () -> s.discreteGaussian(-1, 1)).getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> s.bernoulli(BigInteger.valueOf(3), BigInteger.valueOf(2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> s.bernoulliExp(BigInteger.valueOf(-1), BigInteger.ONE));
    assertThrows(IllegalArgumentException.class, () -> s.uniform(BigInteger.ZERO));
  }

  private static long[] draws(ExactSampler s, java.util.function.ToLongFunction<ExactSampler> f) {
    LongSupplier next = () -> f.applyAsLong(s);
    long[] x = new long[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      x[i] = next.getAsLong();
    }
    return x;
  }

  /** P(x) ∝ exp(−|x|/b). */
  static LongToDoubleFunction laplacePmf(double b) {
    double p = Math.exp(-1 / b);
    return x -> (1 - p) / (1 + p) * Math.pow(p, Math.abs(x));
  }

  /** P(x) ∝ exp(−x²/(2σ²)), normalised numerically. */
  static LongToDoubleFunction gaussianPmf(double sigma2) {
    double z = 0;
    for (long x = -2000; x <= 2000; x++) {
      z += Math.exp(-(double) x * x / (2 * sigma2));
    }
    double norm = z;
    return x -> Math.exp(-(double) x * x / (2 * sigma2)) / norm;
  }
}
