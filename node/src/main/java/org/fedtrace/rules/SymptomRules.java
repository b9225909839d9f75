package org.fedtrace.rules;

import java.util.List;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.SymptomStatus;

/** The rules of a key's {@code symptom_status} (spec §26.1, R26.1–R26.4). */
final class SymptomRules {
  private SymptomRules() {}

  /**
   * Adds the violations of {@code key}'s symptom_status, which is present, to {@code out} in field
   * order: R26.3 and R26.4 at the field that breaks them, then R26.2 or else R26.1 at the status
   * itself (one violation per path, R20.6).
   *
   * @param path the field path of the status, e.g. "batch.keys[3].symptom_status"
   */
  static void check(DiagnosisKey key, String path, List<RuleViolation.FieldViolation> out) {
    SymptomStatus s = key.getSymptomStatus();
    switch (s.getStatusCase()) {
      case ONSET_RANGE -> {
        long range = Integer.toUnsignedLong(s.getOnsetRange().getRangeDays());
        if (range < 1 || range > Symptoms.MAX_RANGE_DAYS) {
          out.add(
              BatchRules.violation(
                  path + ".onset_range.range_days",
                  Rule.ONSET_RANGE_DAYS,
                  "must be in 1..19, got " + range));
        }
        days(
            s.getOnsetRange().getDaysSinceRangeEnd(),
            path + ".onset_range.days_since_range_end",
            out);
      }
      case ONSET_UNKNOWN_DAYS_SINCE_SUBMISSION ->
          days(
              s.getOnsetUnknownDaysSinceSubmission(),
              path + ".onset_unknown_days_since_submission",
              out);
      case ASYMPTOMATIC_DAYS_SINCE_SUBMISSION ->
          days(
              s.getAsymptomaticDaysSinceSubmission(),
              path + ".asymptomatic_days_since_submission",
              out);
      case UNKNOWN_DAYS_SINCE_SUBMISSION ->
          days(s.getUnknownDaysSinceSubmission(), path + ".unknown_days_since_submission", out);
      default -> {
        out.add(BatchRules.violation(path, Rule.SYMPTOM_STATUS_EMPTY, "sets none of its states"));
        return;
      }
    }
    if (key.hasDaysSinceOnsetOfSymptoms()) {
      out.add(
          BatchRules.violation(
              path, Rule.SYMPTOMS_TWICE, "not allowed with days_since_onset_of_symptoms"));
    }
  }

  /** Whether the key's symptom_status or its onset range carries fields unknown to v1 (R4.12). */
  static boolean hasUnknownFields(DiagnosisKey key) {
    return key.hasSymptomStatus()
        && (BatchRules.hasUnknownFields(key.getSymptomStatus())
            || BatchRules.hasUnknownFields(key.getSymptomStatus().getOnsetRange()));
  }

  private static void days(int days, String path, List<RuleViolation.FieldViolation> out) {
    if (days < -Symptoms.MAX_DAYS || days > Symptoms.MAX_DAYS) {
      out.add(
          BatchRules.violation(path, Rule.SYMPTOM_DAYS_RANGE, "must be in -14..14, got " + days));
    }
  }
}
