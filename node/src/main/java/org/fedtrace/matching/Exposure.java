package org.fedtrace.matching;

import java.util.Arrays;

/**
 * One device's exposure to one diagnosis key: every observation by that device of an RPI of the
 * key, heard within the key's validity window (with the tolerance of {@link Matcher}).
 */
public final class Exposure {
  private final int device;
  private final int keyIndex;
  private final int[] intervals;
  private final int observations;
  private final long durationSeconds;
  private final long weightedPercentSeconds;
  private final double riskScore;
  private final boolean notified;

  /**
   * What a device heard of one key, summed over the matched observations.
   *
   * @param weightedPercentSeconds the durations weighted by attenuation, in percent-seconds
   */
  record Tally(int observations, long durationSeconds, long weightedPercentSeconds) {}

  Exposure(
      int device, int keyIndex, int[] intervals, Tally heard, double riskScore, boolean notified) {
    this.device = device;
    this.keyIndex = keyIndex;
    this.intervals = intervals;
    this.observations = heard.observations();
    this.durationSeconds = heard.durationSeconds();
    this.weightedPercentSeconds = heard.weightedPercentSeconds();
    this.riskScore = riskScore;
    this.notified = notified;
  }

  /** The observing device's opaque reference, as given to the index. */
  public int device() {
    return device;
  }

  /** Index of the matched key in its {@link KeyBatch}. */
  public int keyIndex() {
    return keyIndex;
  }

  /** The distinct interval numbers the matched observations were heard in, ascending. */
  public int[] intervals() {
    return intervals.clone();
  }

  /** Number of matched observations (a device may hear one RPI several times). */
  public int observations() {
    return observations;
  }

  /** Total duration of the matched observations, in seconds. */
  public long durationSeconds() {
    return durationSeconds;
  }

  /** Attenuation-weighted duration in minutes: W of {@link RiskModel}. */
  public double weightedMinutes() {
    return weightedPercentSeconds / 6000.0;
  }

  /** The risk score S of {@link RiskModel}. */
  public double riskScore() {
    return riskScore;
  }

  /** Whether the score reaches the model's threshold, so the device is notified. */
  public boolean notified() {
    return notified;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Exposure)) {
      return false;
    }
    Exposure e = (Exposure) o;
    return device == e.device
        && keyIndex == e.keyIndex
        && Arrays.equals(intervals, e.intervals)
        && observations == e.observations
        && durationSeconds == e.durationSeconds
        && weightedPercentSeconds == e.weightedPercentSeconds
        && Double.compare(riskScore, e.riskScore) == 0
        && notified == e.notified;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * device + keyIndex) + Arrays.hashCode(intervals);
  }

  @Override
  public String toString() {
    return "Exposure[device="
        + device
        + ", key="
        + keyIndex
        + ", intervals="
        + Arrays.toString(intervals)
        + ", observations="
        + observations
        + ", durationSeconds="
        + durationSeconds
        + ", weightedMinutes="
        + weightedMinutes()
        + ", score="
        + riskScore
        + ", notified="
        + notified
        + "]";
  }
}
