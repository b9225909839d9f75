package org.fedtrace.sim.matching;

import java.util.TreeSet;
import org.fedtrace.proto.v1.DiagnosisKey;

/** What one device heard of one key, accumulated row by row. */
final class Heard {
  private final TreeSet<Integer> intervals = new TreeSet<>();
  private int minutes;
  private double weightedMinutes;

  void add(int interval, int durationMinutes, int attenuationDb) {
    intervals.add(interval);
    minutes += durationMinutes;
    weightedMinutes += durationMinutes * RiskModel.attenuationWeight(attenuationDb);
  }

  Exposure exposure(int agent, DiagnosisKey key, double infectiousness) {
    int[] list = intervals.stream().mapToInt(Integer::intValue).toArray();
    return new Exposure(agent, key, list, minutes, weightedMinutes * infectiousness);
  }
}
