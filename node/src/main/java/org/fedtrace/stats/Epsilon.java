package org.fedtrace.stats;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A privacy loss ε of pure differential privacy, held as an exact fraction so that a ledger sums it
 * without rounding: {@code 0.1} is 1/10, not the binary double nearest to it.
 *
 * @param num the numerator, positive
 * @param den the denominator, positive; the fraction is kept in lowest terms
 */
public record Epsilon(long num, long den) implements Comparable<Epsilon> {
  public Epsilon {
    if (num <= 0 || den <= 0) {
      throw new IllegalArgumentException("epsilon must be positive: " + num + "/" + den);
    }
    long g = BigInteger.valueOf(num).gcd(BigInteger.valueOf(den)).longValueExact();
    num /= g;
    den /= g;
  }

  /**
   * Parses a decimal such as {@code 0.5} or {@code 2}.
   *
   * @throws IllegalArgumentException when the text is not a positive decimal of at most 9 places
   */
  public static Epsilon parse(String text) {
    BigDecimal d;
    try {
      d = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("epsilon is not a decimal number: " + text, e);
    }
    if (d.signum() <= 0) {
      throw new IllegalArgumentException("epsilon must be positive: " + text);
    }
    d = d.stripTrailingZeros();
    if (d.scale() > 9) {
      throw new IllegalArgumentException("epsilon has more than 9 decimal places: " + text);
    }
    int scale = Math.max(d.scale(), 0);
    return new Epsilon(
        d.movePointRight(scale).longValueExact(), BigInteger.TEN.pow(scale).longValueExact());
  }

  /** The sum of two losses (sequential composition). */
  public Epsilon plus(Epsilon other) {
    BigInteger n =
        BigInteger.valueOf(num)
            .multiply(BigInteger.valueOf(other.den))
            .add(BigInteger.valueOf(other.num).multiply(BigInteger.valueOf(den)));
    BigInteger d = BigInteger.valueOf(den).multiply(BigInteger.valueOf(other.den));
    BigInteger g = n.gcd(d);
    return new Epsilon(n.divide(g).longValueExact(), d.divide(g).longValueExact());
  }

  /** The loss as a double, for display and for the distribution's formulas in tests. */
  public double value() {
    return (double) num / den;
  }

  @Override
  public int compareTo(Epsilon o) {
    return BigInteger.valueOf(num)
        .multiply(BigInteger.valueOf(o.den))
        .compareTo(BigInteger.valueOf(o.num).multiply(BigInteger.valueOf(den)));
  }

  /** The decimal text {@link #parse} reads back, exact where the fraction terminates. */
  @Override
  public String toString() {
    BigDecimal exact;
    try {
      exact = BigDecimal.valueOf(num).divide(BigDecimal.valueOf(den));
    } catch (ArithmeticException e) {
      return num + "/" + den;
    }
    return exact.stripTrailingZeros().toPlainString();
  }
}
