package org.fedtrace.batch;

import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.OnsetRange;
import org.fedtrace.proto.v1.SymptomStatus;

/**
 * What a key says about its person's symptoms (spec §26.1): one of the states of the EU federation
 * gateway's days-since-onset codes, or nothing. A known onset travels in {@code
 * days_since_onset_of_symptoms} (field 5), every other state in {@code symptom_status} (field 8); a
 * key carries at most one of the two (R26.1).
 *
 * <p>{@link #efgsCode} and {@link #fromEfgsCode} map the states with a code to the gateway's codes
 * and back without loss: {@code fromEfgsCode(s.efgsCode()).equals(s)} for every state but {@link
 * None}, and {@code fromEfgsCode(c).efgsCode() == c} for every published code {@code c}.
 */
public sealed interface Symptoms {
  /** Largest magnitude of every day count: the gateway's offsets and R4.6 alike. */
  int MAX_DAYS = 14;

  /** Longest onset range, in days, that has gateway codes (n × 100 ± 14 stays below 1986). */
  int MAX_RANGE_DAYS = 19;

  /** Base code of a symptomatic key whose onset day is unknown. */
  int ONSET_UNKNOWN_BASE = 2000;

  /** Base code of an asymptomatic key. */
  int ASYMPTOMATIC_BASE = 3000;

  /** Base code of a key whose person's symptom status is unknown. */
  int STATUS_UNKNOWN_BASE = 4000;

  /** The rule a code outside the published ranges breaks. */
  String CODE_RULE = "R26.5";

  /** No symptom information: neither field 5 nor field 8. Has no gateway code. */
  record None() implements Symptoms {
    @Override
    public int efgsCode() {
      throw new IllegalStateException("no symptom information has no gateway code");
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_NONE;
    }

    @Override
    public int days() {
      return 0;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      return key.clearDaysSinceOnsetOfSymptoms().clearSymptomStatus();
    }
  }

  /**
   * Symptomatic, onset known: codes -14..14.
   *
   * @param daysSinceOnset the key's day minus the onset day
   */
  record KnownOnset(int daysSinceOnset) implements Symptoms {
    public KnownOnset {
      requireDays("days since onset of symptoms", daysSinceOnset);
    }

    @Override
    public int efgsCode() {
      return daysSinceOnset;
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_KNOWN_ONSET;
    }

    @Override
    public int days() {
      return daysSinceOnset;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      return key.clearSymptomStatus().setDaysSinceOnsetOfSymptoms(daysSinceOnset);
    }
  }

  /**
   * Symptomatic, onset within a range of days: codes {@code rangeDays × 100 + daysSinceRangeEnd}.
   *
   * @param rangeDays length of the range, 1..19
   * @param daysSinceRangeEnd the key's day minus the last day of the range
   */
  record OnsetInRange(int rangeDays, int daysSinceRangeEnd) implements Symptoms {
    public OnsetInRange {
      if (rangeDays < 1 || rangeDays > MAX_RANGE_DAYS) {
        throw new IllegalArgumentException("range_days must be in 1..19, got " + rangeDays);
      }
      requireDays("days since range end", daysSinceRangeEnd);
    }

    @Override
    public int efgsCode() {
      return rangeDays * 100 + daysSinceRangeEnd;
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_ONSET_RANGE + rangeDays;
    }

    @Override
    public int days() {
      return daysSinceRangeEnd;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      OnsetRange range =
          OnsetRange.newBuilder()
              .setRangeDays(rangeDays)
              .setDaysSinceRangeEnd(daysSinceRangeEnd)
              .build();
      return key.clearDaysSinceOnsetOfSymptoms()
          .setSymptomStatus(SymptomStatus.newBuilder().setOnsetRange(range));
    }
  }

  /**
   * Symptomatic, onset unknown: codes 1986..2014.
   *
   * @param daysSinceSubmission the key's day minus the submission day
   */
  record OnsetUnknown(int daysSinceSubmission) implements Symptoms {
    public OnsetUnknown {
      requireDays("days since submission", daysSinceSubmission);
    }

    @Override
    public int efgsCode() {
      return ONSET_UNKNOWN_BASE + daysSinceSubmission;
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_ONSET_UNKNOWN;
    }

    @Override
    public int days() {
      return daysSinceSubmission;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      return key.clearDaysSinceOnsetOfSymptoms()
          .setSymptomStatus(
              SymptomStatus.newBuilder().setOnsetUnknownDaysSinceSubmission(daysSinceSubmission));
    }
  }

  /**
   * No symptoms: codes 2986..3014.
   *
   * @param daysSinceSubmission the key's day minus the submission day
   */
  record Asymptomatic(int daysSinceSubmission) implements Symptoms {
    public Asymptomatic {
      requireDays("days since submission", daysSinceSubmission);
    }

    @Override
    public int efgsCode() {
      return ASYMPTOMATIC_BASE + daysSinceSubmission;
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_ASYMPTOMATIC;
    }

    @Override
    public int days() {
      return daysSinceSubmission;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      return key.clearDaysSinceOnsetOfSymptoms()
          .setSymptomStatus(
              SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(daysSinceSubmission));
    }
  }

  /**
   * Symptom status unknown: codes 3986..4014.
   *
   * @param daysSinceSubmission the key's day minus the submission day
   */
  record StatusUnknown(int daysSinceSubmission) implements Symptoms {
    public StatusUnknown {
      requireDays("days since submission", daysSinceSubmission);
    }

    @Override
    public int efgsCode() {
      return STATUS_UNKNOWN_BASE + daysSinceSubmission;
    }

    @Override
    public int recordByte() {
      return CanonicalEncoding.SYMPTOMS_STATUS_UNKNOWN;
    }

    @Override
    public int days() {
      return daysSinceSubmission;
    }

    @Override
    public DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key) {
      return key.clearDaysSinceOnsetOfSymptoms()
          .setSymptomStatus(
              SymptomStatus.newBuilder().setUnknownDaysSinceSubmission(daysSinceSubmission));
    }
  }

  /**
   * The state a key carries.
   *
   * @throws IllegalArgumentException when the key breaks R26.1–R26.4 or R4.6
   */
  static Symptoms of(DiagnosisKey key) {
    if (!key.hasSymptomStatus()) {
      return key.hasDaysSinceOnsetOfSymptoms()
          ? new KnownOnset(key.getDaysSinceOnsetOfSymptoms())
          : new None();
    }
    if (key.hasDaysSinceOnsetOfSymptoms()) {
      throw new IllegalArgumentException("a key carries days since onset or a symptom status");
    }
    SymptomStatus s = key.getSymptomStatus();
    return switch (s.getStatusCase()) {
      case ONSET_RANGE ->
          new OnsetInRange(
              s.getOnsetRange().getRangeDays(), s.getOnsetRange().getDaysSinceRangeEnd());
      case ONSET_UNKNOWN_DAYS_SINCE_SUBMISSION ->
          new OnsetUnknown(s.getOnsetUnknownDaysSinceSubmission());
      case ASYMPTOMATIC_DAYS_SINCE_SUBMISSION ->
          new Asymptomatic(s.getAsymptomaticDaysSinceSubmission());
      case UNKNOWN_DAYS_SINCE_SUBMISSION -> new StatusUnknown(s.getUnknownDaysSinceSubmission());
      case STATUS_NOT_SET -> throw new IllegalArgumentException("symptom_status sets no state");
    };
  }

  /**
   * The state of a gateway code.
   *
   * @throws IllegalArgumentException starting with {@value #CODE_RULE} for a code outside the
   *     published ranges
   */
  static Symptoms fromEfgsCode(int code) {
    long base = Math.floorDiv(code + (long) MAX_DAYS, 100) * 100;
    int offset = (int) (code - base);
    if (offset <= MAX_DAYS) {
      if (base == 0) {
        return new KnownOnset(offset);
      } else if (base >= 100 && base <= MAX_RANGE_DAYS * 100) {
        return new OnsetInRange((int) base / 100, offset);
      } else if (base == ONSET_UNKNOWN_BASE) {
        return new OnsetUnknown(offset);
      } else if (base == ASYMPTOMATIC_BASE) {
        return new Asymptomatic(offset);
      } else if (base == STATUS_UNKNOWN_BASE) {
        return new StatusUnknown(offset);
      }
    }
    throw new IllegalArgumentException(
        CODE_RULE + ": " + code + " is not a days-since-onset code of the EU gateway");
  }

  /** Whether the state has a gateway code: every state but {@link None}. */
  default boolean hasEfgsCode() {
    return !(this instanceof None);
  }

  /**
   * The gateway's days-since-onset code of this state.
   *
   * @throws IllegalStateException for {@link None}, which has none (the gateway field is left out)
   */
  int efgsCode();

  /** The symptom byte of the key record (§5.3, §26.1). */
  int recordByte();

  /** The day count of the key record: days since onset, range end or submission; 0 for none. */
  int days();

  /** Sets fields 5 and 8 of {@code key} to this state, clearing the other. */
  DiagnosisKey.Builder applyTo(DiagnosisKey.Builder key);

  private static void requireDays(String what, int days) {
    if (days < -MAX_DAYS || days > MAX_DAYS) {
      throw new IllegalArgumentException(what + " must be in -14..14, got " + days);
    }
  }
}
