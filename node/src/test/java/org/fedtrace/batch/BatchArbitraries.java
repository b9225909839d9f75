package org.fedtrace.batch;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/** Random keys and batches within the ranges the canonical encoding accepts. */
final class BatchArbitraries {
  static final List<String> COUNTRIES = List.of("AT", "BE", "CH", "DE", "FR", "IT", "NL", "PL");

  private BatchArbitraries() {}

  static Arbitrary<DiagnosisKey> keys() {
    return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofSize(16),
            Arbitraries.integers(),
            Arbitraries.integers().between(1, 144),
            Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(-14, 14).injectNull(0.3),
            Arbitraries.integers().between(0, 8),
            Arbitraries.of(COUNTRIES).set().ofMaxSize(4))
        .as(
            (data, start, period, type, dsos, risk, visited) -> {
              DiagnosisKey.Builder k =
                  DiagnosisKey.newBuilder()
                      .setKeyData(ByteString.copyFrom(data))
                      .setRollingStartIntervalNumber(start)
                      .setRollingPeriod(period)
                      .setReportTypeValue(type)
                      .setTransmissionRiskLevel(risk)
                      .addAllVisitedCountries(visited.stream().sorted().toList());
              if (dsos != null) {
                k.setDaysSinceOnsetOfSymptoms(dsos);
              }
              return k.build();
            });
  }

  static Arbitrary<DiagnosisKeyBatch> batches() {
    return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofSize(16),
            Arbitraries.of(COUNTRIES),
            Arbitraries.longs(),
            Arbitraries.longs(),
            keys().list().ofMinSize(1).ofMaxSize(30))
        .as(
            (id, origin, sequence, created, keys) ->
                DiagnosisKeyBatch.newBuilder()
                    .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
                    .setBatchId(ByteString.copyFrom(id))
                    .setOrigin(origin)
                    .setSequence(sequence)
                    .setCreatedUnixSeconds(created)
                    .addAllKeys(keys)
                    .build());
  }

  /**
   * Batches from a domain so small that two draws are often equal: two key values, days since onset
   * absent or 0, no or one visited country, two origins.
   */
  static Arbitrary<DiagnosisKeyBatch> smallBatches() {
    Arbitrary<DiagnosisKey> key =
        Combinators.combine(
                Arbitraries.of((byte) 0x01, (byte) 0x81),
                Arbitraries.of(false, true),
                Arbitraries.of(List.<String>of(), List.of("FR")))
            .as(
                (first, dsos, visited) -> {
                  byte[] data = new byte[16];
                  data[0] = first;
                  DiagnosisKey.Builder k =
                      DiagnosisKey.newBuilder()
                          .setKeyData(ByteString.copyFrom(data))
                          .setRollingPeriod(144)
                          .setReportTypeValue(1)
                          .addAllVisitedCountries(visited);
                  if (dsos) {
                    k.setDaysSinceOnsetOfSymptoms(0);
                  }
                  return k.build();
                });
    return Combinators.combine(Arbitraries.of("DE", "FR"), key.list().ofMinSize(1).ofMaxSize(2))
        .as(
            (origin, keys) ->
                DiagnosisKeyBatch.newBuilder()
                    .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
                    .setBatchId(ByteString.copyFrom(new byte[16]))
                    .setOrigin(origin)
                    .setSequence(1)
                    .addAllKeys(keys)
                    .build());
  }

  /**
   * Whether two batches agree on every field the encoding covers: all but signature and
   * certificate, with the keys compared as a multiset (order ignored, duplicates counted).
   */
  static boolean sameCoveredContent(DiagnosisKeyBatch a, DiagnosisKeyBatch b) {
    return header(a).equals(header(b)) && keyCounts(a).equals(keyCounts(b));
  }

  private static DiagnosisKeyBatch header(DiagnosisKeyBatch b) {
    return b.toBuilder().clearKeys().clearSignature().clearSignerCertificate().build();
  }

  private static Map<DiagnosisKey, Long> keyCounts(DiagnosisKeyBatch b) {
    return b.getKeysList().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
