package org.fedtrace.sim.matching;

import java.util.TreeSet;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.proto.v1.DiagnosisKey;

/** What one device heard of one key, accumulated row by row. */
final class Heard {
  private final TreeSet<Integer> intervals = new TreeSet<>();
  private int minutes;
  private double weightedMinutes;

  void add(int interval, int durationMinutes, int attenuationDb) {
    intervals.add(interval);
    minutes += durationMinutes;
    weightedMinutes += durationMinutes * RiskModel.attenuationWeightPercent(attenuationDb) / 100.0;
  }

  /** The exposure, scored by the engine's risk model: weighted minutes x transmission x I. */
  Exposure exposure(int agent, DiagnosisKey key) {
    int[] list = intervals.stream().mapToInt(Integer::intValue).toArray();
    double score =
        weightedMinutes
            * RiskModel.transmissionFactor(key.getTransmissionRiskLevel())
            * RiskModel.infectiousnessFactor(
                !key.hasDaysSinceOnsetOfSymptoms(), key.getDaysSinceOnsetOfSymptoms());
    return new Exposure(agent, key, list, minutes, score);
  }
}
