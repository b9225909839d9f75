package org.fedtrace.sim.matching;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;

/**
 * The project's matching engine ({@link org.fedtrace.matching}) behind the simulator's matcher
 * interface: a compact index of 128-bit tokens per country, derive-and-match on several threads,
 * and the engine's risk model. The simulator's own {@link ReferenceMatcher} is the yardstick its
 * tests compare this with.
 */
public final class EngineMatcher implements ExposureMatcher {
  /**
   * The simulator matches the countries in parallel, so each match runs on one thread of its own
   * (an engine {@link Matcher} serves one match at a time).
   */
  public EngineMatcher() {}

  @Override
  public ObservationIndex newIndex(String country) {
    return new EngineIndex(org.fedtrace.matching.ObservationIndex.create(1 << 16, 0x5eedL));
  }

  @Override
  public List<Exposure> match(ObservationIndex index, List<DiagnosisKey> keys) {
    List<DiagnosisKey> matchable = new ArrayList<>(keys.size());
    for (DiagnosisKey k : keys) {
      if (k.getReportType() != ReportType.REPORT_TYPE_REVOKED) {
        matchable.add(k);
      }
    }
    if (matchable.isEmpty()) {
      return List.of();
    }
    MatchResult r;
    try (Matcher matcher = Matcher.create(1)) {
      r = matcher.match(((EngineIndex) index).index, KeyBatch.fromProto(matchable));
    }
    List<Exposure> out = new ArrayList<>(r.exposures().size());
    for (org.fedtrace.matching.Exposure e : r.exposures()) {
      out.add(
          new Exposure(
              e.device(),
              matchable.get(e.keyIndex()),
              e.intervals(),
              (int) (e.durationSeconds() / 60),
              e.riskScore()));
    }
    return out;
  }

  /** A country's observations in the engine's index. */
  private static final class EngineIndex implements ObservationIndex {
    final org.fedtrace.matching.ObservationIndex index;

    EngineIndex(org.fedtrace.matching.ObservationIndex index) {
      this.index = index;
    }

    @Override
    public void add(Observations o) {
      byte[] rpis = o.rpis();
      int[] intervals = o.intervals();
      int[] agents = o.agents();
      byte[] minutes = o.durationMinutes();
      byte[] db = o.attenuationDb();
      for (int i = 0; i < o.size(); i++) {
        index.add(
            ReferenceIndex.longAt(rpis, 16 * i),
            ReferenceIndex.longAt(rpis, 16 * i + 8),
            intervals[i],
            Byte.toUnsignedInt(minutes[i]) * 60,
            Byte.toUnsignedInt(db[i]),
            agents[i]);
      }
    }

    @Override
    public void dropBefore(int enin) {
      index.dropObservedBefore(enin);
    }

    @Override
    public long size() {
      return index.size();
    }
  }
}
