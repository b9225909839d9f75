package org.fedtrace.stats;

import java.util.Objects;

/**
 * The discrete Laplace mechanism for counts: adds noise with P(z) ∝ exp(−|z|·ε/Δ) to a count whose
 * value one person can change by at most Δ (the sensitivity), which makes the released value
 * ε-differentially private (Ghosh, Roughgarden and Sundararajan 2009; the exact sampler is {@link
 * ExactSampler#discreteLaplace}). Releasing k counts about the same people costs k·ε.
 */
public final class LaplaceMechanism {
  private final ExactSampler sampler;
  private final Epsilon epsilon;
  private final long sensitivity;

  /**
   * @param sampler the exact sampler over a cryptographic random source
   * @param epsilon the privacy loss of one release
   * @param sensitivity Δ, how much one person can change the count, at least 1
   */
  public LaplaceMechanism(ExactSampler sampler, Epsilon epsilon, long sensitivity) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    this.epsilon = Objects.requireNonNull(epsilon, "epsilon");
    if (sensitivity < 1) {
      throw new IllegalArgumentException("sensitivity must be at least 1: " + sensitivity);
    }
    Math.multiplyExact(sensitivity, epsilon.den());
    this.sensitivity = sensitivity;
  }

  /** The privacy loss of one release. */
  public Epsilon epsilon() {
    return epsilon;
  }

  /** The scale Δ/ε of the noise: its standard deviation is about √2 times this for large scales. */
  public double scale() {
    return sensitivity / epsilon.value();
  }

  /** The noise's variance, 2p/(1 − p)² with p = exp(−ε/Δ). */
  public double variance() {
    double p = Math.exp(-epsilon.value() / sensitivity);
    return 2 * p / ((1 - p) * (1 - p));
  }

  /** {@code count} plus fresh noise. Every call spends ε. */
  public long release(long count) {
    long noise = sampler.discreteLaplace(sensitivity * epsilon.den(), epsilon.num());
    return Math.addExact(count, noise);
  }
}
