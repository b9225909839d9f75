package org.fedtrace.matching;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.crypto.ReferenceTokenDeriver;

/**
 * The matching rules written as plainly as possible, to check the engine against: a HashMap from
 * token to observations, RPIs derived one key at a time by {@link ReferenceTokenDeriver} with
 * Bouncy Castle (independent of the engine's JCE path), and one pass over every RPI.
 */
final class ReferenceMatcher {
  /** One observation, as the test recorded it. */
  record Observation(
      byte[] token, int interval, int durationSeconds, int attenuationDb, int device) {}

  private ReferenceMatcher() {}

  static List<Exposure> match(List<Observation> observations, KeyBatch keys, RiskModel risk) {
    Map<ByteBuffer, List<Observation>> byToken = new HashMap<>();
    for (Observation o : observations) {
      byToken.computeIfAbsent(ByteBuffer.wrap(o.token()), t -> new ArrayList<>()).add(o);
    }
    // (device, key) -> matched observations; the long orders by device, then key
    TreeMap<Long, List<Observation>> groups = new TreeMap<>();
    for (int k = 0; k < keys.size(); k++) {
      int start = keys.rollingStart(k);
      int period = keys.rollingPeriod(k);
      byte[] rpis = ReferenceTokenDeriver.rpis(keys.keyData(k), start, period);
      for (int j = 0; j < period; j++) {
        byte[] rpi = new byte[16];
        System.arraycopy(rpis, j * 16, rpi, 0, 16);
        for (Observation o : byToken.getOrDefault(ByteBuffer.wrap(rpi), List.of())) {
          if (o.interval() >= start - 12 && o.interval() <= start + period - 1 + 12) {
            long group = ((long) o.device() << 32) | k;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(o);
          }
        }
      }
    }
    List<Exposure> out = new ArrayList<>();
    groups.forEach(
        (group, obs) ->
            out.add(exposure((int) (group >> 32), (int) (long) group, obs, keys, risk)));
    return out;
  }

  private static Exposure exposure(
      int device, int key, List<Observation> obs, KeyBatch keys, RiskModel risk) {
    long duration = 0;
    long weighted = 0;
    for (Observation o : obs) {
      duration += o.durationSeconds();
      weighted +=
          (long) o.durationSeconds() * RiskModel.attenuationWeightPercent(o.attenuationDb());
    }
    int[] intervals = obs.stream().mapToInt(Observation::interval).sorted().distinct().toArray();
    boolean absent = keys.daysSinceOnset(key).isEmpty();
    double score =
        RiskModel.score(
            weighted, keys.transmissionRiskLevel(key), absent, keys.daysSinceOnset(key).orElse(0));
    return new Exposure(
        device,
        key,
        intervals,
        new Exposure.Tally(obs.size(), duration, weighted),
        score,
        risk.notifies(score));
  }
}
