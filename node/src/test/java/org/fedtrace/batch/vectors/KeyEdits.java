package org.fedtrace.batch.vectors;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/** Copies of keys and batches with one thing changed, as the vector generators need them. */
final class KeyEdits {
  private KeyEdits() {}

  static DiagnosisKey dsos(DiagnosisKey k, int days) {
    return k.toBuilder().setDaysSinceOnsetOfSymptoms(days).build();
  }

  static DiagnosisKey noDsos(DiagnosisKey k) {
    return k.toBuilder().clearDaysSinceOnsetOfSymptoms().build();
  }

  static DiagnosisKey keyData(DiagnosisKey k, byte[] data) {
    return k.toBuilder().setKeyData(ByteString.copyFrom(data)).build();
  }

  static DiagnosisKey visited(DiagnosisKey k, String... countries) {
    return k.toBuilder().clearVisitedCountries().addAllVisitedCountries(List.of(countries)).build();
  }

  static DiagnosisKeyBatch withKeys(DiagnosisKeyBatch b, List<DiagnosisKey> keys) {
    return b.toBuilder().clearKeys().addAllKeys(keys).build();
  }

  /**
   * {@code keys} ordered by descending key record: the reverse of the canonical order, so never
   * that order when two records differ.
   */
  static List<DiagnosisKey> descending(List<DiagnosisKey> keys) {
    List<DiagnosisKey> out = new ArrayList<>(keys);
    out.sort(
        (a, b) ->
            Arrays.compareUnsigned(CanonicalEncoding.keyRecord(b), CanonicalEncoding.keyRecord(a)));
    return out;
  }
}
