package org.fedtrace.rules;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * The rules of a batch and of each key that need neither trust anchors nor stored state: spec §4
 * (R4.1–R4.12) and §8.1 steps 7–9 (R8.2–R8.12).
 *
 * <p>Violations are collected in the spec's order (R20.6: depth-first by field number, list
 * elements by index, a message's own violation after those of its fields, one per field path), so
 * that one response tells the sender about every bad key, and two implementations name the same
 * fields in the same order.
 */
public final class BatchRules {
  /** Allowed clock skew between nodes. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(300);

  /** Seconds per Exposure Notification interval. */
  public static final long INTERVAL_SECONDS = 600;

  /** Intervals per day. */
  public static final int INTERVALS_PER_DAY = 144;

  private final int retentionDays;
  private final int maxKeysPerBatch;

  /**
   * @param retentionDays the agreement's retention window
   * @param maxKeysPerBatch the node's limit on keys per batch (R8.3)
   */
  public BatchRules(int retentionDays, int maxKeysPerBatch) {
    this.retentionDays = retentionDays;
    this.maxKeysPerBatch = maxKeysPerBatch;
  }

  /** The agreement's retention in days. */
  public int retentionDays() {
    return retentionDays;
  }

  /** The node's limit on keys per batch. */
  public int maxKeysPerBatch() {
    return maxKeysPerBatch;
  }

  /**
   * Checks the batch and every key at time {@code now} (R8.2–R8.12, R4.1–R4.12).
   *
   * @param certificateParses whether signer_certificate is one DER X.509 certificate (R8.11)
   * @throws RuleViolation for the first rule broken; for INVALID_ARGUMENT with every violation
   */
  public void check(DiagnosisKeyBatch batch, Instant now, Predicate<ByteString> certificateParses) {
    if (batch.getFormatVersion() != CanonicalEncoding.FORMAT_VERSION
        && batch.getFormatVersion() != CanonicalEncoding.FORMAT_VERSION_SCOPED) {
      throw new RuleViolation(
          Rule.FORMAT_VERSION,
          "format_version "
              + Integer.toUnsignedString(batch.getFormatVersion())
              + " is not supported; this node speaks 1 and 2");
    }
    if (batch.getKeysCount() > maxKeysPerBatch) {
      throw new RuleViolation(
          Rule.TOO_MANY_KEYS,
          "the batch holds "
              + batch.getKeysCount()
              + " keys; this node accepts at most "
              + maxKeysPerBatch);
    }
    List<RuleViolation.FieldViolation> v = new ArrayList<>();
    if (batch.getBatchId().size() != CanonicalEncoding.BATCH_ID_LENGTH) {
      v.add(
          violation(
              "batch.batch_id",
              Rule.BATCH_ID_LENGTH,
              "must be 16 bytes, got " + batch.getBatchId().size()));
    }
    if (!Countries.hasOriginSyntax(batch.getOrigin())) {
      v.add(violation("batch.origin", Rule.ORIGIN_SYNTAX, "must be CC or CC-operator-id"));
    }
    if (batch.getSequence() == 0) {
      v.add(violation("batch.sequence", Rule.SEQUENCE_ZERO, "must be at least 1"));
    }
    long created = batch.getCreatedUnixSeconds();
    if (created > now.getEpochSecond() + CLOCK_SKEW.getSeconds()) {
      v.add(violation("batch.created_unix_seconds", Rule.CREATED_IN_FUTURE, "is in the future"));
    } else if (created < now.getEpochSecond() - retentionDays * 86_400L) {
      v.add(
          violation(
              "batch.created_unix_seconds",
              Rule.CREATED_BEFORE_RETENTION,
              "is before the retention window"));
    }
    if (batch.getKeysCount() == 0) {
      v.add(violation("batch.keys", Rule.NO_KEYS, "a batch holds at least one key"));
    } else {
      checkKeys(batch.getKeysList(), "batch.keys", now, v);
    }
    if (!certificateParses.test(batch.getSignerCertificate())) {
      v.add(
          violation(
              "batch.signer_certificate",
              Rule.SIGNER_CERTIFICATE_MALFORMED,
              "must be one DER X.509 certificate"));
    }
    if (batch.getSignature().size() != 64) {
      v.add(
          violation(
              "batch.signature",
              Rule.SIGNATURE_LENGTH,
              "must be 64 bytes, got " + batch.getSignature().size()));
    }
    if (hasUnknownFields(batch)) {
      v.add(violation("batch", Rule.BATCH_UNKNOWN_FIELDS, "carries fields unknown to v1"));
    }
    checkScope(batch, v);
    throwIfAny(v);
  }

  /** R25.6, R25.7: format 1 carries no scope; format 2 carries FEDERATE or TRAVELLER. */
  private static void checkScope(DiagnosisKeyBatch batch, List<RuleViolation.FieldViolation> v) {
    int scope = batch.getScopeValue();
    if (batch.getFormatVersion() == CanonicalEncoding.FORMAT_VERSION) {
      if (scope != 0) {
        v.add(
            violation(
                "batch.scope",
                Rule.SCOPE_IN_FORMAT_1,
                "must be absent in format_version 1, whose encoding does not sign it"));
      }
    } else if (scope != BatchScope.BATCH_SCOPE_FEDERATE_VALUE
        && scope != BatchScope.BATCH_SCOPE_TRAVELLER_VALUE) {
      v.add(
          violation(
              "batch.scope",
              Rule.SCOPE_VALUE,
              "must be FEDERATE (1) or TRAVELLER (2) in format_version 2, got " + scope));
    }
  }

  /**
   * The retention window's start W (spec §1.3) at {@code nowSeconds}: the interval number {@code
   * retentionDays} days before the current one. Keys whose validity ended before W are past
   * retention; observations heard before it too.
   */
  public static long windowStart(long nowSeconds, int retentionDays) {
    return nowSeconds / INTERVAL_SECONDS - (long) retentionDays * INTERVALS_PER_DAY;
  }

  /**
   * Checks each key at time {@code now} (R4.1–R4.12), adding violations to {@code out} in field
   * order.
   *
   * @param prefix the field path of the key list, e.g. "batch.keys" or "keys"
   */
  public void checkKeys(
      List<DiagnosisKey> keys, String prefix, Instant now, List<RuleViolation.FieldViolation> out) {
    long nowSeconds = now.getEpochSecond();
    long skewedInterval = (nowSeconds + CLOCK_SKEW.getSeconds()) / INTERVAL_SECONDS;
    long windowStart = windowStart(nowSeconds, retentionDays);
    KeyDataSet seen = new KeyDataSet(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      DiagnosisKey k = keys.get(i);
      if (k.getKeyData().size() != 16) {
        out.add(
            violation(
                path(prefix, i, ".key_data"),
                Rule.KEY_DATA_LENGTH,
                "must be 16 bytes, got " + k.getKeyData().size()));
      } else if (!seen.add(k.getKeyData())) {
        out.add(
            violation(path(prefix, i, ".key_data"), Rule.DUPLICATE_KEY, "repeats an earlier key"));
      }
      long start = Integer.toUnsignedLong(k.getRollingStartIntervalNumber());
      long period = Integer.toUnsignedLong(k.getRollingPeriod());
      if (start > skewedInterval) {
        out.add(
            violation(
                path(prefix, i, ".rolling_start_interval_number"),
                Rule.ROLLING_START_IN_FUTURE,
                "is in the future"));
      } else if (start + period < windowStart) {
        out.add(
            violation(
                path(prefix, i, ".rolling_start_interval_number"),
                Rule.KEY_PAST_RETENTION,
                "the key is past retention"));
      }
      if (period < 1 || period > INTERVALS_PER_DAY) {
        out.add(
            violation(
                path(prefix, i, ".rolling_period"),
                Rule.ROLLING_PERIOD_RANGE,
                "must be in 1..144, got " + period));
      }
      int type = k.getReportTypeValue();
      if (type < 1 || type > 5) {
        out.add(
            violation(
                path(prefix, i, ".report_type"), Rule.REPORT_TYPE, "must be in 1..5, got " + type));
      }
      int dsos = k.getDaysSinceOnsetOfSymptoms();
      if (k.hasDaysSinceOnsetOfSymptoms() && (dsos < -14 || dsos > 14)) {
        out.add(
            violation(
                path(prefix, i, ".days_since_onset_of_symptoms"),
                Rule.DAYS_SINCE_ONSET_RANGE,
                "must be in -14..14, got " + k.getDaysSinceOnsetOfSymptoms()));
      }
      long risk = Integer.toUnsignedLong(k.getTransmissionRiskLevel());
      if (risk > 8) {
        out.add(
            violation(
                path(prefix, i, ".transmission_risk_level"),
                Rule.TRANSMISSION_RISK_RANGE,
                "must be in 0..8, got " + risk));
      }
      checkVisited(k.getVisitedCountriesList(), prefix, i, out);
      if (k.hasSymptomStatus()) {
        SymptomRules.check(k, path(prefix, i, ".symptom_status"), out);
      }
      if (hasUnknownFields(k) || SymptomRules.hasUnknownFields(k)) {
        out.add(
            violation(
                path(prefix, i, ""), Rule.KEY_UNKNOWN_FIELDS, "carries fields unknown to v1"));
      }
    }
  }

  /** The field path of key {@code i}, built only for a violation. */
  private static String path(String prefix, int i, String field) {
    return prefix + "[" + i + "]" + field;
  }

  private static void checkVisited(
      List<String> visited, String prefix, int i, List<RuleViolation.FieldViolation> out) {
    if (visited.size() > CanonicalEncoding.MAX_VISITED_COUNTRIES) {
      out.add(
          violation(
              path(prefix, i, ".visited_countries"),
              Rule.TOO_MANY_VISITED_COUNTRIES,
              "at most 32 countries"));
      return;
    }
    for (int j = 0; j < visited.size(); j++) {
      if (!Countries.hasCodeSyntax(visited.get(j))) {
        out.add(
            violation(
                path(prefix, i, ".visited_countries"),
                Rule.VISITED_COUNTRY_SYNTAX,
                "entries are two letters A..Z"));
        return;
      }
    }
    for (int j = 1; j < visited.size(); j++) {
      if (visited.get(j - 1).compareTo(visited.get(j)) >= 0) {
        out.add(
            violation(
                path(prefix, i, ".visited_countries"),
                Rule.VISITED_COUNTRIES_ORDER,
                "must be strictly ascending, without repeats"));
        return;
      }
    }
  }

  /** True when {@code m} carries protobuf fields unknown to fedtrace.v1. */
  public static boolean hasUnknownFields(Message m) {
    return !m.getUnknownFields().asMap().isEmpty();
  }

  /**
   * Throws for the first violation's rule with every violation of the same status code; does
   * nothing when {@code violations} is empty. Violations must already be in the spec's order.
   */
  public static void throwIfAny(List<RuleViolation.FieldViolation> violations) {
    if (violations.isEmpty()) {
      return;
    }
    Rule first = violations.get(0).rule();
    List<RuleViolation.FieldViolation> same =
        violations.stream().filter(f -> f.rule().code() == first.code()).toList();
    String message;
    if (same.size() == 1) {
      message = RuleViolation.message(same.get(0).field(), same.get(0).description());
    } else if (same.size() <= Statuses.MAX_DETAILS) {
      message = same.size() + " violations; see the details";
    } else {
      message = same.size() + " violations; the details name the first " + Statuses.MAX_DETAILS;
    }
    throw new RuleViolation(first, message, same);
  }

  static RuleViolation.FieldViolation violation(String field, Rule rule, String description) {
    return new RuleViolation.FieldViolation(field, rule, description);
  }
}
