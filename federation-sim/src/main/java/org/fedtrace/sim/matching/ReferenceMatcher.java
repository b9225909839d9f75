package org.fedtrace.sim.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * The straightforward matcher: derive each key's RPIs with {@link TokenDeriver} and look each one
 * up in a hash table of what devices heard. No partitioning, prefilter or parallelism: it is the
 * yardstick for the project's matching engine ({@link EngineMatcher}). Risk scores follow the
 * engine's {@link org.fedtrace.matching.RiskModel}, so both matchers score alike.
 */
public final class ReferenceMatcher implements ExposureMatcher {
  @Override
  public ObservationIndex newIndex(String country) {
    return new ReferenceIndex();
  }

  @Override
  public List<Exposure> match(ObservationIndex index, List<DiagnosisKey> keys) {
    ReferenceIndex ix = (ReferenceIndex) index;
    TokenDeriver deriver = TokenDeriver.create();
    byte[] rpis = new byte[TokenDeriver.MAX_ROLLING_PERIOD * TokenDeriver.TOKEN_LENGTH];
    List<Exposure> out = new ArrayList<>();
    for (DiagnosisKey key : keys) {
      int start = key.getRollingStartIntervalNumber();
      int period = key.getRollingPeriod();
      if (period < 1 || period > TokenDeriver.MAX_ROLLING_PERIOD) {
        throw new IllegalArgumentException("rolling_period must be in 1..144, got " + period);
      }
      int from = start - TOLERANCE_INTERVALS;
      int until = start + period + TOLERANCE_INTERVALS;
      List<ReferenceIndex.Chunk> chunks = ix.overlapping(from, until);
      if (chunks.isEmpty()) {
        continue;
      }
      deriver.deriveRpis(key.getKeyData().toByteArray(), start, period, rpis, 0);
      Map<Integer, Heard> heard = new TreeMap<>();
      for (int j = 0; j < period; j++) {
        long hi = ReferenceIndex.longAt(rpis, 16 * j);
        long lo = ReferenceIndex.longAt(rpis, 16 * j + 8);
        for (ReferenceIndex.Chunk c : chunks) {
          c.lookup(hi, lo, from, until, heard);
        }
      }
      heard.forEach((agent, h) -> out.add(h.exposure(agent, key)));
    }
    return out;
  }
}
