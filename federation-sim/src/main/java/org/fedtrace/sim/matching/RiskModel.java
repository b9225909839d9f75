package org.fedtrace.sim.matching;

import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * The reference matcher's risk score, a simplified Exposure Notification v2 "weighted minutes": the
 * sum over the heard RPIs of minutes times an attenuation weight (1 up to 55 dB, 0.5 up to 63 dB,
 * 0.25 up to 73 dB, 0 above), times the key's infectiousness (1 when days since onset is absent or
 * in -2..5, else 0.5).
 */
public final class RiskModel {
  private RiskModel() {}

  /** Weight of one minute heard at {@code db} measured attenuation. */
  public static double attenuationWeight(int db) {
    if (db <= 55) {
      return 1.0;
    }
    if (db <= 63) {
      return 0.5;
    }
    if (db <= 73) {
      return 0.25;
    }
    return 0;
  }

  /** Infectiousness weight of a key, from its days since onset of symptoms. */
  public static double infectiousness(DiagnosisKey key) {
    if (!key.hasDaysSinceOnsetOfSymptoms()) {
      return 1.0;
    }
    int d = key.getDaysSinceOnsetOfSymptoms();
    return d >= -2 && d <= 5 ? 1.0 : 0.5;
  }
}
