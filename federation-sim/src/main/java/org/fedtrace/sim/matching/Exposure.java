package org.fedtrace.sim.matching;

import java.util.Arrays;
import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * A device that heard RPIs of a diagnosis key.
 *
 * @param agent the observing device (simulated person)
 * @param key the matched diagnosis key
 * @param intervals the distinct intervals (ENIN) in which the key's RPIs were heard, ascending
 * @param durationMinutes total minutes heard
 * @param riskScore the matcher's risk score; the simulator notifies at or above the scenario's
 *     {@code matching.notify_min_risk_score}
 */
public record Exposure(
    int agent, DiagnosisKey key, int[] intervals, int durationMinutes, double riskScore) {
  /** Copies the intervals. */
  public Exposure {
    intervals = intervals.clone();
  }

  @Override
  public int[] intervals() {
    return intervals.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Exposure e
        && agent == e.agent
        && key.equals(e.key)
        && Arrays.equals(intervals, e.intervals)
        && durationMinutes == e.durationMinutes
        && Double.compare(riskScore, e.riskScore) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * agent + key.hashCode()) + Arrays.hashCode(intervals);
  }

  @Override
  public String toString() {
    return "Exposure[agent="
        + agent
        + ", intervals="
        + Arrays.toString(intervals)
        + ", durationMinutes="
        + durationMinutes
        + ", riskScore="
        + riskScore
        + "]";
  }
}
