package org.fedtrace.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.testing.TestBatches;
import org.junit.jupiter.api.Test;

class BatchRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final TestBatches t = new TestBatches(1, NOW);
  private final BatchRules rules = new BatchRules(14, 100);

  private DiagnosisKeyBatch valid() {
    return t.batch("DE", 1, t.keys(14, 13));
  }

  private RuleViolation refuse(DiagnosisKeyBatch b) {
    return assertThrows(RuleViolation.class, () -> rules.check(b, NOW, c -> true));
  }

  private DiagnosisKeyBatch withKey(int i, DiagnosisKey.Builder k) {
    DiagnosisKeyBatch b = valid();
    return b.toBuilder().setKeys(i, k.build()).build();
  }

  @Test
  void acceptsAValidBatch() {
    rules.check(valid(), NOW, c -> true);
  }

  @Test
  void unknownFormatVersionIsAPrecondition() {
    RuleViolation v = refuse(valid().toBuilder().setFormatVersion(3).build());
    assertEquals(Rule.FORMAT_VERSION, v.rule());
    assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, v.rule().code());
  }

  @Test
  void namesEveryBadKeyInOneResponse() {
    DiagnosisKeyBatch b = valid();
    DiagnosisKeyBatch bad =
        b.toBuilder()
            .setKeys(3, b.getKeys(3).toBuilder().setRollingPeriod(145))
            .setKeys(7, b.getKeys(7).toBuilder().setKeyData(ByteString.copyFrom(new byte[15])))
            .setKeys(9, b.getKeys(9).toBuilder().setDaysSinceOnsetOfSymptoms(15))
            .build();
    RuleViolation v = refuse(bad);
    assertEquals(Rule.ROLLING_PERIOD_RANGE, v.rule());
    assertEquals(
        List.of(
            "batch.keys[3].rolling_period R4.2: must be in 1..144, got 145",
            "batch.keys[7].key_data R4.1: must be 16 bytes, got 15",
            "batch.keys[9].days_since_onset_of_symptoms R4.6: must be in -14..14, got 15"),
        v.fieldViolations().stream().map(f -> f.field() + " " + f.wireDescription()).toList());
    assertEquals("R4.2: 3 violations; see the details", v.getMessage());
  }

  @Test
  void eachKeyRule() {
    DiagnosisKey k = valid().getKeys(0);
    long nowInterval = t.nowInterval();
    assertEquals(
        Rule.ROLLING_PERIOD_RANGE, refuse(withKey(0, k.toBuilder().setRollingPeriod(0))).rule());
    assertEquals(
        Rule.ROLLING_START_IN_FUTURE,
        refuse(withKey(0, k.toBuilder().setRollingStartIntervalNumber((int) nowInterval + 1)))
            .rule());
    // the last interval within the allowed clock skew is not in the future
    rules.check(
        withKey(0, k.toBuilder().setRollingStartIntervalNumber((int) nowInterval)), NOW, c -> true);
    // past retention: start + period < now_interval - 14 * 144
    long expiredStart = nowInterval - 14 * 144 - 144 - 1;
    assertEquals(
        Rule.KEY_PAST_RETENTION,
        refuse(withKey(0, k.toBuilder().setRollingStartIntervalNumber((int) expiredStart))).rule());
    rules.check(
        withKey(0, k.toBuilder().setRollingStartIntervalNumber((int) expiredStart + 1)),
        NOW,
        c -> true);
    assertEquals(
        Rule.REPORT_TYPE,
        refuse(withKey(0, k.toBuilder().setReportType(ReportType.REPORT_TYPE_UNSPECIFIED))).rule());
    assertEquals(Rule.REPORT_TYPE, refuse(withKey(0, k.toBuilder().setReportTypeValue(17))).rule());
    assertEquals(
        Rule.TRANSMISSION_RISK_RANGE,
        refuse(withKey(0, k.toBuilder().setTransmissionRiskLevel(9))).rule());
    assertEquals(
        Rule.VISITED_COUNTRIES_ORDER,
        refuse(withKey(0, k.toBuilder().addVisitedCountries("FR").addVisitedCountries("BE")))
            .rule());
    assertEquals(
        Rule.VISITED_COUNTRY_SYNTAX,
        refuse(withKey(0, k.toBuilder().addVisitedCountries("fr"))).rule());
    // syntax only: whether a code is assigned is not the node's business
    rules.check(withKey(0, k.toBuilder().addVisitedCountries("XX")), NOW, c -> true);
    rules.check(
        withKey(0, k.toBuilder().addVisitedCountries("BE").addVisitedCountries("FR")),
        NOW,
        c -> true);
    rules.check(withKey(0, k.toBuilder().setDaysSinceOnsetOfSymptoms(0)), NOW, c -> true);
    rules.check(withKey(0, k.toBuilder().clearDaysSinceOnsetOfSymptoms()), NOW, c -> true);
  }

  @Test
  void duplicateKeyDataInOneBatch() {
    DiagnosisKeyBatch b = valid();
    RuleViolation v =
        refuse(
            b.toBuilder()
                .setKeys(5, b.getKeys(5).toBuilder().setKeyData(b.getKeys(2).getKeyData()))
                .build());
    assertEquals(Rule.DUPLICATE_KEY, v.rule());
    assertEquals("batch.keys[5].key_data", v.fieldViolations().get(0).field());
  }

  @Test
  void keyDataDifferingOnlyInTheLastByteAreNotDuplicates() {
    BatchRules many = new BatchRules(14, 10_000);
    DiagnosisKey template = t.key(1);
    List<DiagnosisKey> keys = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      byte[] data = template.getKeyData().toByteArray();
      data[15] = (byte) i;
      keys.add(template.toBuilder().setKeyData(ByteString.copyFrom(data)).build());
    }
    many.check(t.batch("DE", 1, keys), NOW, c -> true);

    keys.add(keys.get(200));
    keys.add(keys.get(3));
    RuleViolation v =
        assertThrows(RuleViolation.class, () -> many.check(t.batch("DE", 1, keys), NOW, c -> true));
    assertEquals(
        List.of("batch.keys[256].key_data R4.11", "batch.keys[257].key_data R4.11"),
        v.fieldViolations().stream().map(f -> f.field() + " " + f.rule().id()).toList());
  }

  @Test
  void batchFields() {
    assertEquals(
        Rule.BATCH_ID_LENGTH,
        refuse(valid().toBuilder().setBatchId(ByteString.copyFrom(new byte[15])).build()).rule());
    assertEquals(Rule.ORIGIN_SYNTAX, refuse(valid().toBuilder().setOrigin("de").build()).rule());
    assertEquals(Rule.ORIGIN_SYNTAX, refuse(valid().toBuilder().setOrigin("D").build()).rule());
    assertEquals(
        Rule.SIGNER_CERTIFICATE_MALFORMED,
        assertThrows(RuleViolation.class, () -> rules.check(valid(), NOW, c -> false)).rule());
    assertEquals(Rule.SEQUENCE_ZERO, refuse(valid().toBuilder().setSequence(0).build()).rule());
    assertEquals(
        Rule.CREATED_IN_FUTURE,
        refuse(valid().toBuilder().setCreatedUnixSeconds(NOW.getEpochSecond() + 301).build())
            .rule());
    assertEquals(
        Rule.CREATED_BEFORE_RETENTION,
        refuse(
                valid().toBuilder()
                    .setCreatedUnixSeconds(NOW.getEpochSecond() - 14 * 86400 - 1)
                    .build())
            .rule());
    assertEquals(Rule.NO_KEYS, refuse(valid().toBuilder().clearKeys().build()).rule());
    assertEquals(
        Rule.SIGNATURE_LENGTH,
        refuse(valid().toBuilder().setSignature(ByteString.copyFrom(new byte[63])).build()).rule());
  }

  @Test
  void tooManyKeysIsASizeLimit() {
    RuleViolation v = refuse(t.batch("DE", 1, t.keys(101, 13)));
    assertEquals(Rule.TOO_MANY_KEYS, v.rule());
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, v.rule().code());
    assertEquals("R8.3: the batch holds 101 keys; this node accepts at most 100", v.getMessage());
  }
}
