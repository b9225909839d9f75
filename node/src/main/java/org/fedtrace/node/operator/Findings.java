package org.fedtrace.node.operator;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.matching.Exposure;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.PendingKey;

/**
 * What matching one set of keys of one origin found, a batch's or the node's domestic-only keys
 * (R25.18): the revocations among them and the exposures to the others, committed together.
 */
record Findings(List<Revocation> revoked, List<OperatorData.ExposureRow> exposures) {
  /** A REVOKED key, remembered until {@code endInterval}, the key's last interval plus one. */
  record Revocation(OperatorData.OriginKey key, long endInterval) {}

  /** The revocation that REVOKED key {@code k} of {@code origin} is. */
  static Revocation revocation(String origin, DiagnosisKey k) {
    return new Revocation(
        new OperatorData.OriginKey(origin, k.getKeyData().toByteArray()),
        Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) + k.getRollingPeriod());
  }

  /** The exposures {@code result} found to {@code keys} of {@code origin}, found at {@code now}. */
  static List<OperatorData.ExposureRow> rows(
      MatchResult result, List<DiagnosisKey> keys, String origin, long now) {
    List<OperatorData.ExposureRow> rows = new ArrayList<>(result.exposures().size());
    for (Exposure e : result.exposures()) {
      rows.add(
          new OperatorData.ExposureRow(
              e.device(),
              new OperatorData.OriginKey(origin, keys.get(e.keyIndex()).getKeyData().toByteArray()),
              ranges(e.intervals()),
              e.durationSeconds(),
              e.riskScore(),
              e.notified(),
              now));
    }
    return rows;
  }

  /** The DiagnosisKey a domestic-only key of the store holds. */
  static DiagnosisKey parse(PendingKey p) {
    try {
      return DiagnosisKey.parseFrom(p.key());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("domestic key " + p.id() + " does not decode", e);
    }
  }

  /**
   * The runs of consecutive values of ascending distinct {@code intervals}, as first-last pairs.
   */
  static int[] ranges(int[] intervals) {
    int[] out = new int[2 * intervals.length];
    int n = 0;
    for (int i = 0; i < intervals.length; i++) {
      if (n == 0 || intervals[i] != out[n - 1] + 1) {
        out[n++] = intervals[i];
        out[n++] = intervals[i];
      } else {
        out[n - 1] = intervals[i];
      }
    }
    return Arrays.copyOf(out, n);
  }
}
