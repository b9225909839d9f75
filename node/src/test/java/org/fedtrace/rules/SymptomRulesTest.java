package org.fedtrace.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.UnknownFieldSet;
import java.time.Instant;
import java.util.List;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.OnsetRange;
import org.fedtrace.proto.v1.SymptomStatus;
import org.fedtrace.testing.TestBatches;
import org.junit.jupiter.api.Test;

/** R26.1–R26.4 and R4.6: the symptom fields of a key, with their paths and descriptions. */
class SymptomRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final TestBatches t = new TestBatches(1, NOW);
  private final BatchRules rules = new BatchRules(14, 100);

  private DiagnosisKeyBatch withKey2(DiagnosisKey.Builder edit) {
    DiagnosisKeyBatch b = t.batch("DE", 1, t.keys(4, 13));
    return b.toBuilder().setKeys(2, edit.build()).build();
  }

  private DiagnosisKey.Builder key2() {
    return t.batch("DE", 1, t.keys(4, 13)).getKeys(2).toBuilder().clearDaysSinceOnsetOfSymptoms();
  }

  private List<String> violations(DiagnosisKey.Builder edit) {
    RuleViolation v =
        assertThrows(RuleViolation.class, () -> rules.check(withKey2(edit), NOW, c -> true));
    return v.fieldViolations().stream().map(f -> f.field() + " " + f.wireDescription()).toList();
  }

  @Test
  void acceptsEveryStateAtItsLimits() {
    for (Symptoms s :
        List.of(
            new Symptoms.OnsetInRange(1, -14),
            new Symptoms.OnsetInRange(19, 14),
            new Symptoms.OnsetUnknown(0),
            new Symptoms.Asymptomatic(-14),
            new Symptoms.StatusUnknown(14))) {
      rules.check(withKey2(s.applyTo(key2())), NOW, c -> true);
    }
  }

  @Test
  void r26_1_refusesBothFields() {
    DiagnosisKey.Builder both =
        new Symptoms.Asymptomatic(0).applyTo(key2()).setDaysSinceOnsetOfSymptoms(0);
    assertEquals(
        List.of(
            "batch.keys[2].symptom_status R26.1: not allowed with days_since_onset_of_symptoms"),
        violations(both));
  }

  @Test
  void r26_2_refusesAStatusWithoutState() {
    DiagnosisKey.Builder empty =
        key2().setSymptomStatus(SymptomStatus.getDefaultInstance()).setDaysSinceOnsetOfSymptoms(1);
    assertEquals(
        List.of("batch.keys[2].symptom_status R26.2: sets none of its states"), violations(empty));
  }

  @Test
  void r26_3_and_r26_4_nameTheFieldThatBreaksThem() {
    DiagnosisKey.Builder range =
        key2()
            .setSymptomStatus(
                SymptomStatus.newBuilder()
                    .setOnsetRange(
                        OnsetRange.newBuilder().setRangeDays(20).setDaysSinceRangeEnd(-15)));
    assertEquals(
        List.of(
            "batch.keys[2].symptom_status.onset_range.range_days R26.3: must be in 1..19, got 20",
            "batch.keys[2].symptom_status.onset_range.days_since_range_end R26.4: must be in"
                + " -14..14, got -15"),
        violations(range));
    DiagnosisKey.Builder zeroRange =
        key2().setSymptomStatus(SymptomStatus.newBuilder().setOnsetRange(OnsetRange.newBuilder()));
    assertEquals(
        List.of(
            "batch.keys[2].symptom_status.onset_range.range_days R26.3: must be in 1..19, got 0"),
        violations(zeroRange));
    assertEquals(
        List.of(
            "batch.keys[2].symptom_status.unknown_days_since_submission R26.4: must be in"
                + " -14..14, got 15"),
        violations(
            key2().setSymptomStatus(SymptomStatus.newBuilder().setUnknownDaysSinceSubmission(15))));
    assertEquals(
        List.of(
            "batch.keys[2].symptom_status.asymptomatic_days_since_submission R26.4: must be in"
                + " -14..14, got -2147483648"),
        violations(
            key2()
                .setSymptomStatus(
                    SymptomStatus.newBuilder()
                        .setAsymptomaticDaysSinceSubmission(Integer.MIN_VALUE))));
  }

  @Test
  void r4_6_refusesTheSmallestInteger() {
    assertEquals(
        List.of(
            "batch.keys[2].days_since_onset_of_symptoms R4.6: must be in -14..14, got"
                + " -2147483648"),
        violations(key2().setDaysSinceOnsetOfSymptoms(Integer.MIN_VALUE)));
  }

  @Test
  void r4_12_refusesUnknownFieldsInsideTheStatus() {
    UnknownFieldSet extra =
        UnknownFieldSet.newBuilder()
            .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    DiagnosisKey.Builder k =
        key2()
            .setSymptomStatus(
                SymptomStatus.newBuilder()
                    .setOnsetUnknownDaysSinceSubmission(0)
                    .setUnknownFields(extra));
    assertEquals(List.of("batch.keys[2] R4.12: carries fields unknown to v1"), violations(k));
  }
}
