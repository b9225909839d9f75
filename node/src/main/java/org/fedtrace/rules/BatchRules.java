package org.fedtrace.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/**
 * The syntactic rules of a batch and of each key (spec/protocol.md, PublishBatch and
 * UploadDiagnosisKeys): everything that can be checked without trust anchors or stored state.
 *
 * <p>Checks run in the spec's order. The first rule broken decides the status code; every field
 * that breaks a rule with that same code is named in the details, so one response tells the sender
 * about every bad key.
 */
public final class BatchRules {
  /** Allowed clock skew between nodes. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** Seconds per Exposure Notification interval. */
  public static final long INTERVAL_SECONDS = 600;

  /** Intervals per day. */
  public static final int INTERVALS_PER_DAY = 144;

  private final int retentionDays;
  private final int maxKeysPerBatch;

  /**
   * @param retentionDays the agreement's retention window
   * @param maxKeysPerBatch the node's limit on keys per batch
   */
  public BatchRules(int retentionDays, int maxKeysPerBatch) {
    this.retentionDays = retentionDays;
    this.maxKeysPerBatch = maxKeysPerBatch;
  }

  /**
   * Checks the batch fields and every key at time {@code now}.
   *
   * @throws RuleViolation for the first rule broken, with every bad field of the same code
   */
  public void check(DiagnosisKeyBatch batch, Instant now) {
    if (batch.getFormatVersion() != CanonicalEncoding.FORMAT_VERSION) {
      throw new RuleViolation(
          Rule.FORMAT_VERSION,
          "format_version " + batch.getFormatVersion() + " is not supported; this node speaks 1");
    }
    List<RuleViolation.FieldViolation> v = new ArrayList<>();
    if (batch.getBatchId().size() != CanonicalEncoding.BATCH_ID_LENGTH) {
      v.add(
          violation(
              "batch.batch_id",
              Rule.BATCH_ID_LENGTH,
              "must be 16 bytes, got " + batch.getBatchId().size()));
    }
    if (!Countries.isCountryCode(batch.getOrigin())) {
      v.add(
          violation(
              "batch.origin",
              Rule.ORIGIN_SYNTAX,
              "must be an ISO 3166-1 alpha-2 code in upper case"));
    }
    if (batch.getSequence() == 0) {
      v.add(violation("batch.sequence", Rule.SEQUENCE_ZERO, "must be at least 1"));
    }
    long created = batch.getCreatedUnixSeconds();
    if (created > now.plus(CLOCK_SKEW).getEpochSecond()) {
      v.add(violation("batch.created_unix_seconds", Rule.CREATED_IN_FUTURE, "is in the future"));
    } else if (created < now.minus(Duration.ofDays(retentionDays)).getEpochSecond()) {
      v.add(
          violation(
              "batch.created_unix_seconds",
              Rule.CREATED_BEFORE_RETENTION,
              "is older than the retention window of " + retentionDays + " days"));
    }
    if (batch.getKeysCount() == 0) {
      v.add(violation("batch.keys", Rule.NO_KEYS, "a batch holds at least one key"));
    }
    if (batch.getSignature().size() != 64) {
      v.add(
          violation(
              "batch.signature",
              Rule.SIGNATURE_LENGTH,
              "must be 64 bytes, got " + batch.getSignature().size()));
    }
    if (batch.getKeysCount() > maxKeysPerBatch) {
      throwIfAny(v);
      throw new RuleViolation(
          Rule.TOO_MANY_KEYS,
          "the batch holds "
              + batch.getKeysCount()
              + " keys; this node accepts at most "
              + maxKeysPerBatch);
    }
    checkKeys(batch.getKeysList(), "batch.keys", now, v);
    throwIfAny(v);
  }

  /**
   * Checks each key at time {@code now}, adding one violation per bad field to {@code out}.
   *
   * @param prefix the field path of the key list, e.g. "batch.keys"
   */
  public void checkKeys(
      List<DiagnosisKey> keys, String prefix, Instant now, List<RuleViolation.FieldViolation> out) {
    long nowInterval = now.getEpochSecond() / INTERVAL_SECONDS;
    long latestStart = now.plus(CLOCK_SKEW).getEpochSecond() / INTERVAL_SECONDS;
    long retentionIntervals = (long) retentionDays * INTERVALS_PER_DAY;
    Set<com.google.protobuf.ByteString> seen = new HashSet<>(keys.size() * 2);
    for (int i = 0; i < keys.size(); i++) {
      DiagnosisKey k = keys.get(i);
      String f = prefix + "[" + i + "].";
      if (k.getKeyData().size() != 16) {
        out.add(
            violation(
                f + "key_data",
                Rule.KEY_DATA_LENGTH,
                "must be 16 bytes, got " + k.getKeyData().size()));
      } else if (!seen.add(k.getKeyData())) {
        out.add(
            violation(
                f + "key_data", Rule.DUPLICATE_KEY, "the same key appears twice in the batch"));
      }
      int period = k.getRollingPeriod();
      if (period < 1 || period > INTERVALS_PER_DAY) {
        out.add(
            violation(
                f + "rolling_period",
                Rule.ROLLING_PERIOD_RANGE,
                "must be in 1..144, got " + Integer.toUnsignedString(period)));
      }
      long start = Integer.toUnsignedLong(k.getRollingStartIntervalNumber());
      if (start > latestStart) {
        out.add(
            violation(
                f + "rolling_start_interval_number",
                Rule.ROLLING_START_IN_FUTURE,
                "is in the future"));
      } else if (start + Math.max(period, 1) + retentionIntervals <= nowInterval) {
        out.add(
            violation(
                f + "rolling_start_interval_number",
                Rule.KEY_PAST_RETENTION,
                "the key is past the retention window of " + retentionDays + " days"));
      }
      ReportType type = k.getReportType();
      if (type == ReportType.REPORT_TYPE_UNSPECIFIED || type == ReportType.UNRECOGNIZED) {
        out.add(
            violation(
                f + "report_type",
                Rule.REPORT_TYPE,
                "must be a known report type other than REPORT_TYPE_UNSPECIFIED"));
      }
      if (k.hasDaysSinceOnsetOfSymptoms() && Math.abs(k.getDaysSinceOnsetOfSymptoms()) > 14) {
        out.add(
            violation(
                f + "days_since_onset_of_symptoms",
                Rule.DAYS_SINCE_ONSET_RANGE,
                "must be in -14..14, got " + k.getDaysSinceOnsetOfSymptoms()));
      }
      if (Integer.compareUnsigned(k.getTransmissionRiskLevel(), 8) > 0) {
        out.add(
            violation(
                f + "transmission_risk_level",
                Rule.TRANSMISSION_RISK_RANGE,
                "must be in 0..8, got " + Integer.toUnsignedString(k.getTransmissionRiskLevel())));
      }
      checkVisited(k.getVisitedCountriesList(), f + "visited_countries", out);
    }
  }

  private static void checkVisited(
      List<String> visited, String field, List<RuleViolation.FieldViolation> out) {
    if (visited.size() > CanonicalEncoding.MAX_VISITED_COUNTRIES) {
      out.add(
          violation(
              field,
              Rule.VISITED_COUNTRIES,
              "at most " + CanonicalEncoding.MAX_VISITED_COUNTRIES + " countries"));
      return;
    }
    String previous = null;
    for (String c : visited) {
      if (!Countries.isCountryCode(c)) {
        out.add(
            violation(
                field, Rule.VISITED_COUNTRIES, "must hold ISO 3166-1 alpha-2 codes in upper case"));
        return;
      }
      if (previous != null && previous.compareTo(c) >= 0) {
        out.add(
            violation(
                field, Rule.VISITED_COUNTRIES, "must be strictly ascending, without repeats"));
        return;
      }
      previous = c;
    }
  }

  /**
   * Throws for the first violation's rule with every violation of the same status code; does
   * nothing when {@code violations} is empty.
   */
  public static void throwIfAny(List<RuleViolation.FieldViolation> violations) {
    if (violations.isEmpty()) {
      return;
    }
    Rule decisive =
        violations.stream().map(RuleViolation.FieldViolation::rule).min(Rule::compareTo).get();
    List<RuleViolation.FieldViolation> same =
        violations.stream().filter(f -> f.rule().code() == decisive.code()).toList();
    String message =
        same.size() == 1
            ? same.get(0).field() + " " + same.get(0).description()
            : same.size() + " fields break the spec's rules; see the details";
    throw new RuleViolation(decisive, message, same);
  }

  private static RuleViolation.FieldViolation violation(
      String field, Rule rule, String description) {
    return new RuleViolation.FieldViolation(field, rule, description);
  }
}
