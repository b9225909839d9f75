package org.fedtrace.sim.population;

import java.util.SplittableRandom;

/**
 * Seeded randomness: every random choice of a run comes from a generator seeded by mixing the run's
 * seed with what is being drawn (a purpose, a day, a person), so a run repeats exactly and a
 * person's draws do not depend on the order in which people are processed.
 */
public final class Draws {
  private Draws() {}

  /** SplitMix64's finalizer: a bijective 64-bit mix. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit value determined by the run's seed, a purpose label and two numbers. */
  public static long hash(long seed, long purpose, long a, long b) {
    long h = mix(seed ^ 0x9e3779b97f4a7c15L);
    h = mix(h ^ purpose * 0xd1b54a32d192ed03L);
    h = mix(h ^ a * 0x9e3779b97f4a7c15L);
    return mix(h ^ b * 0xc2b2ae3d27d4eb4fL);
  }

  /** A generator determined by the run's seed, a purpose label and two numbers. */
  public static SplittableRandom random(long seed, long purpose, long a, long b) {
    return new SplittableRandom(hash(seed, purpose, a, b));
  }

  /** A uniform number in [0, 1) determined by the arguments. */
  public static double uniform(long seed, long purpose, long a, long b) {
    return (hash(seed, purpose, a, b) >>> 11) * 0x1.0p-53;
  }

  /** A log-normal draw with the given mean and standard deviation (sd 0: the mean). */
  public static double logNormal(SplittableRandom r, double mean, double sd) {
    if (sd <= 0 || mean <= 0) {
      return Math.max(0, mean);
    }
    double s2 = Math.log1p(sd * sd / (mean * mean));
    double mu = Math.log(mean) - s2 / 2;
    return Math.exp(mu + Math.sqrt(s2) * gaussian(r));
  }

  /** A standard normal draw (Box-Muller). */
  public static double gaussian(SplittableRandom r) {
    double u = 1.0 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A Poisson draw with mean {@code lambda}; normal approximation above 30. */
  public static int poisson(SplittableRandom r, double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    if (lambda > 30) {
      return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
    }
    double limit = Math.exp(-lambda);
    double p = r.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= r.nextDouble();
      k++;
    }
    return k;
  }
}
