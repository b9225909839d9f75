package org.fedtrace.stats;

import java.math.BigInteger;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exact samplers for the discrete Laplace and discrete Gaussian distributions, after Canonne,
 * Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), algorithms 1
 * to 3. Every draw is made of uniform integers and Bernoulli trials with rational parameters in
 * exact integer arithmetic, so no floating-point rounding shapes the tails (a floating-point
 * Laplace sampler leaks through the gaps in its output, Mironov 2012).
 *
 * <p>The random source must be cryptographic ({@link java.security.SecureRandom} in production):
 * noise that can be predicted can be subtracted. Tests may pass a seeded source.
 */
public final class ExactSampler {
  private final RandomGenerator random;

  /** Draws from {@code random}, which production code must take from a cryptographic source. */
  public ExactSampler(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A uniform integer in [0, {@code bound}), without modulo bias. */
  BigInteger uniform(BigInteger bound) {
    if (bound.signum() <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    if (bound.bitLength() < 63) {
      return BigInteger.valueOf(random.nextLong(bound.longValueExact()));
    }
    int bits = bound.bitLength();
    while (true) {
      BigInteger candidate = randomBits(bits);
      if (candidate.compareTo(bound) < 0) {
        return candidate;
      }
    }
  }

  private BigInteger randomBits(int bits) {
    byte[] bytes = new byte[(bits + 7) / 8];
    random.nextBytes(bytes);
    int spare = bytes.length * 8 - bits;
    bytes[0] &= (byte) (0xff >>> spare);
    return new BigInteger(1, bytes);
  }

  /** True with probability {@code num / den}, for 0 ≤ num ≤ den. */
  boolean bernoulli(BigInteger num, BigInteger den) {
    if (num.signum() < 0 || num.compareTo(den) > 0) {
      throw new IllegalArgumentException("probability out of [0, 1]: " + num + "/" + den);
    }
    return uniform(den).compareTo(num) < 0;
  }

  /** True with probability exp(−{@code num / den}), for num ≥ 0 (algorithm 1). */
  boolean bernoulliExp(BigInteger num, BigInteger den) {
    if (num.signum() < 0 || den.signum() <= 0) {
      throw new IllegalArgumentException("exponent must be a non-negative rational: " + num);
    }
    BigInteger[] whole = num.divideAndRemainder(den);
    for (BigInteger k = BigInteger.ZERO; k.compareTo(whole[0]) < 0; k = k.add(BigInteger.ONE)) {
      if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
        return false;
      }
    }
    return bernoulliExpAtMostOne(whole[1], den);
  }

  /** exp(−γ) for γ = num/den in [0, 1]: the parity of the first failing trial of γ/k. */
  private boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den) {
    BigInteger k = BigInteger.ONE;
    while (bernoulli(num, den.multiply(k))) {
      k = k.add(BigInteger.ONE);
    }
    return k.testBit(0);
  }

  /**
   * A draw from the discrete Laplace distribution of scale {@code s/t}: P(x) ∝ exp(−|x|·t/s) over
   * the integers (algorithm 2).
   */
  public long discreteLaplace(long s, long t) {
    if (s <= 0 || t <= 0) {
      throw new IllegalArgumentException("scale must be positive: " + s + "/" + t);
    }
    // X = U + s·V is geometric with ratio exp(−1/s), built exactly; ⌊X/t⌋ has ratio exp(−t/s)
    BigInteger bigS = BigInteger.valueOf(s);
    while (true) {
      BigInteger u = uniform(bigS);
      if (!bernoulliExp(u, bigS)) {
        continue;
      }
      long v = 0;
      while (bernoulliExp(BigInteger.ONE, BigInteger.ONE)) {
        v++;
      }
      long x = u.longValueExact() + Math.multiplyExact(s, v);
      long y = x / t;
      boolean negative = random.nextBoolean();
      if (negative && y == 0) {
        continue;
      }
      return negative ? -y : y;
    }
  }

  /**
   * A draw from the discrete Gaussian distribution of variance parameter σ² = {@code sigma2Num /
   * sigma2Den}: P(x) ∝ exp(−x²/(2σ²)) over the integers (algorithm 3).
   */
  public long discreteGaussian(long sigma2Num, long sigma2Den) {
    if (sigma2Num <= 0 || sigma2Den <= 0) {
      throw new IllegalArgumentException("variance must be positive: " + sigma2Num);
    }
    BigInteger a = BigInteger.valueOf(sigma2Num);
    BigInteger b = BigInteger.valueOf(sigma2Den);
    // t = floor(σ) + 1, the largest integer with (t − 1)² ≤ σ², plus one
    long t = a.divide(b).sqrt().longValueExact();
    while (BigInteger.valueOf(t + 1).pow(2).multiply(b).compareTo(a) <= 0) {
      t++;
    }
    t++;
    BigInteger bigT = BigInteger.valueOf(t);
    while (true) {
      long y = discreteLaplace(t, 1);
      // accept with exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·t·b − a)² / (2·a·b·t²))
      BigInteger diff = BigInteger.valueOf(Math.abs(y)).multiply(bigT).multiply(b).subtract(a);
      BigInteger num = diff.multiply(diff);
      BigInteger den = BigInteger.TWO.multiply(a).multiply(b).multiply(bigT.multiply(bigT));
      if (bernoulliExp(num, den)) {
        return y;
      }
    }
  }
}
