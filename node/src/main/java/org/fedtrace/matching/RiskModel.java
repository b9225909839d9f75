package org.fedtrace.matching;

import java.util.OptionalInt;
import org.fedtrace.batch.Symptoms;

/**
 * The risk score that decides whether an exposure is notified.
 *
 * <p>For one exposure (one device, one diagnosis key) with matched observations {@code i} of
 * duration {@code d_i} seconds and attenuation {@code a_i} dB:
 *
 * <pre>
 * weighted minutes  W = sum_i d_i * w(a_i) / 60
 *     w(a) = 1.0 if a &lt;= 55 dB (near), 0.5 if 55 &lt; a &lt;= 63 dB (medium),
 *            0   if a &gt; 63 dB (far)
 * transmission      T = transmission_risk_level / 8                  (0..8, so 0..1)
 * infectiousness    I = 1.0 if days since onset is absent or in -2..5 (a symptom status
 *                       other than an onset range counts as absent; a range counts as
 *                       its most infectious day, spec §26.1),
 *                       0.5 if it is in -5..-3 or 6..9,
 *                       0   otherwise (-14..-6, 10..14)
 * score             S = W * T * I
 * notified          S &gt;= threshold (default 15: fifteen near minutes from a maximally
 *                   infectious key)
 * </pre>
 *
 * <p>The sum is taken over integer seconds times integer percent weights and divided once, so the
 * score does not depend on the order observations are visited in.
 */
public final class RiskModel {
  /** Highest attenuation, in dB, that counts as near. */
  public static final int NEAR_MAX_DB = 55;

  /** Highest attenuation, in dB, that counts as medium; anything above is far and weighs 0. */
  public static final int MEDIUM_MAX_DB = 63;

  /** The default notification threshold, in weighted minutes. */
  public static final double DEFAULT_THRESHOLD = 15.0;

  /** The model with the default threshold. */
  public static final RiskModel DEFAULT = new RiskModel(DEFAULT_THRESHOLD);

  private final double threshold;

  private RiskModel(double threshold) {
    this.threshold = threshold;
  }

  /** A model that notifies exposures whose score is at least {@code threshold} (> 0). */
  public static RiskModel withThreshold(double threshold) {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a positive number, got " + threshold);
    }
    return new RiskModel(threshold);
  }

  /** The notification threshold. */
  public double threshold() {
    return threshold;
  }

  /** Weight of an observation by its attenuation, in percent: 100, 50 or 0. */
  public static int attenuationWeightPercent(int attenuationDb) {
    if (attenuationDb <= NEAR_MAX_DB) {
      return 100;
    }
    return attenuationDb <= MEDIUM_MAX_DB ? 50 : 0;
  }

  /** T: the transmission risk level over 8. */
  public static double transmissionFactor(int transmissionRiskLevel) {
    return transmissionRiskLevel / 8.0;
  }

  /** I: infectiousness by days since onset of symptoms; {@code absent} means not known. */
  public static double infectiousnessFactor(boolean absent, int daysSinceOnset) {
    if (absent || (daysSinceOnset >= -2 && daysSinceOnset <= 5)) {
      return 1.0;
    }
    if ((daysSinceOnset >= -5 && daysSinceOnset <= -3)
        || (daysSinceOnset >= 6 && daysSinceOnset <= 9)) {
      return 0.5;
    }
    return 0.0;
  }

  /**
   * The days since onset that I is computed from (spec §26.1, R26.7): a known onset's, an onset
   * range's most infectious day; empty for every other state, which I treats as absent.
   */
  public static OptionalInt onsetDayForScore(Symptoms symptoms) {
    if (symptoms instanceof Symptoms.KnownOnset k) {
      return OptionalInt.of(k.daysSinceOnset());
    }
    if (symptoms instanceof Symptoms.OnsetInRange r) {
      int first = r.daysSinceRangeEnd();
      return OptionalInt.of(mostInfectiousDay(first, first + r.rangeDays() - 1));
    }
    return OptionalInt.empty();
  }

  /**
   * The days-since-onset value among {@code first..last} with the highest I (the first of them on a
   * tie): a key whose onset lies in a range of days scores as if onset were on its most infectious
   * day (spec §26.1, R26.7), so that an imprecise onset never lowers a score.
   */
  public static int mostInfectiousDay(int first, int last) {
    int best = first;
    for (int d = first + 1; d <= last; d++) {
      if (infectiousnessFactor(false, d) > infectiousnessFactor(false, best)) {
        best = d;
      }
    }
    return best;
  }

  /**
   * S = W * T * I, where W is {@code weightedPercentSeconds} (the sum of duration seconds times
   * {@link #attenuationWeightPercent}) divided by 6000.
   */
  public static double score(
      long weightedPercentSeconds,
      int transmissionRiskLevel,
      boolean onsetAbsent,
      int daysSinceOnset) {
    return weightedPercentSeconds
        / 6000.0
        * transmissionFactor(transmissionRiskLevel)
        * infectiousnessFactor(onsetAbsent, daysSinceOnset);
  }

  /** Whether an exposure with this score is notified. */
  public boolean notifies(double score) {
    return score >= threshold;
  }
}
