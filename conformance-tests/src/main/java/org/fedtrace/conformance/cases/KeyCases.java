package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * Spec §4.2: the rules of every key. Each case publishes, as member A, a batch of three keys signed
 * by member A in which only the key at index 1 breaks the rule, and expects INVALID_ARGUMENT with a
 * field violation at {@code batch.keys[1].<field>} whose description starts with the rule id.
 */
public final class KeyCases extends CaseBase {
  public KeyCases(Session s) {
    super(s);
  }

  /** A signed batch of three valid keys in which key 1 is replaced by {@code edit} of it. */
  private DiagnosisKeyBatch withKey1(UnaryOperator<DiagnosisKey.Builder> edit) {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(3));
    keys.set(1, edit.apply(keys.get(1).toBuilder()).build());
    return sign(unsigned(a(), keys), a());
  }

  private void refusedAt(String rule, String field, UnaryOperator<DiagnosisKey.Builder> edit) {
    publishRefused(Status.Code.INVALID_ARGUMENT, rule, withKey1(edit))
        .hasField("batch.keys[1]" + field, rule);
  }

  /**
   * R4.1: key_data of 15 and of 17 bytes. When it fails: the node does not check the length of
   * key_data.
   */
  public void R4_1_refusesKeyDataNot16Bytes() {
    refusedAt("R4.1", ".key_data", k -> k.setKeyData(batches().randomBytes(15)));
    refusedAt("R4.1", ".key_data", k -> k.setKeyData(batches().randomBytes(17)));
  }

  /** R4.2: rolling_period 0 and 145. When it fails: the range check is missing or off by one. */
  public void R4_2_refusesRollingPeriodOutOfRange() {
    refusedAt("R4.2", ".rolling_period", k -> k.setRollingPeriod(0));
    refusedAt("R4.2", ".rolling_period", k -> k.setRollingPeriod(145));
  }

  /**
   * R4.3: a key starting two hours after the current interval (well beyond the 300 s skew). When it
   * fails: the node accepts keys from the future.
   */
  public void R4_3_refusesRollingStartInFuture() {
    long start = batches().nowInterval() + 12;
    refusedAt(
        "R4.3",
        ".rolling_start_interval_number",
        k -> k.setRollingStartIntervalNumber((int) start).setRollingPeriod(1));
  }

  /**
   * R4.4: a key whose end (start + period) lies two hours before the retention window start W is
   * refused, while one ending two hours after W is accepted. When it fails: the node ignores the
   * agreement's retention_days, or computes the window from another clock or unit.
   */
  public void R4_4_refusesKeyPastRetention() {
    long window = batches().nowInterval() - (long) s.info().getRetentionDays() * Batches.DAY;
    long pastStart = window - 12 - Batches.DAY;
    refusedAt(
        "R4.4",
        ".rolling_start_interval_number",
        k -> k.setRollingStartIntervalNumber((int) pastStart).setRollingPeriod(Batches.DAY));
    long keptStart = window + 12 - Batches.DAY;
    publish(
        a().tls(),
        withKey1(
            k -> k.setRollingStartIntervalNumber((int) keptStart).setRollingPeriod(Batches.DAY)));
  }

  /**
   * R24.3: a key that started an hour ago and is valid for a day is accepted in a batch: the
   * embargo of R24.1 binds what a node releases to devices, not federation batches. When it fails:
   * the node applies the device embargo (or a rule of its own) to batches, which delays every
   * cross-border notification by at least the embargo.
   */
  public void R24_3_acceptsAKeyStillValid() {
    long start = batches().nowInterval() - 6;
    PublishBatchResponse r =
        publish(
            a().tls(),
            withKey1(
                k -> k.setRollingStartIntervalNumber((int) start).setRollingPeriod(Batches.DAY)));
    Expect.check(!r.getDuplicate(), "R24.3: the new batch was answered duplicate");
  }

  /**
   * R4.5: report_type UNSPECIFIED (0) and 6, a number v1 does not know. When it fails: the node
   * accepts the zero value or unknown enum numbers.
   */
  public void R4_5_refusesUnknownReportType() {
    refusedAt("R4.5", ".report_type", k -> k.setReportTypeValue(0));
    refusedAt("R4.5", ".report_type", k -> k.setReportTypeValue(6));
  }

  /**
   * R4.6: days_since_onset_of_symptoms present and 15 or -15 is refused; present and 0 is accepted
   * (zero is a real value, §4.3). When it fails: range check missing, or presence lost.
   */
  public void R4_6_refusesDaysSinceOnsetOutOfRange() {
    refusedAt("R4.6", ".days_since_onset_of_symptoms", k -> k.setDaysSinceOnsetOfSymptoms(15));
    refusedAt("R4.6", ".days_since_onset_of_symptoms", k -> k.setDaysSinceOnsetOfSymptoms(-15));
    publish(a().tls(), withKey1(k -> k.setDaysSinceOnsetOfSymptoms(0)));
  }

  /** R4.7: transmission_risk_level 9. When it fails: the node accepts risk levels above 8. */
  public void R4_7_refusesTransmissionRiskOutOfRange() {
    refusedAt("R4.7", ".transmission_risk_level", k -> k.setTransmissionRiskLevel(9));
  }

  /** R4.8: 33 visited countries. When it fails: the node does not cap the list at 32. */
  public void R4_8_refusesMoreThan32VisitedCountries() {
    List<String> ascending = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      ascending.add("" + (char) ('A' + i / 26) + (char) ('A' + i % 26));
    }
    refusedAt(
        "R4.8",
        ".visited_countries",
        k -> k.clearVisitedCountries().addAllVisitedCountries(ascending));
  }

  /**
   * R4.9: a visited country "de" (lower case) and one of three letters. When it fails: the node
   * accepts entries that are not two ASCII letters A..Z.
   */
  public void R4_9_refusesMalformedVisitedCountry() {
    refusedAt(
        "R4.9", ".visited_countries", k -> k.clearVisitedCountries().addVisitedCountries("de"));
    refusedAt(
        "R4.9", ".visited_countries", k -> k.clearVisitedCountries().addVisitedCountries("DEU"));
  }

  /**
   * R4.10: visited countries ["FR", "DE"] (descending) and ["DE", "DE"] (repeat). When it fails:
   * the node does not require strictly ascending order.
   */
  public void R4_10_refusesUnsortedVisitedCountries() {
    refusedAt(
        "R4.10",
        ".visited_countries",
        k -> k.clearVisitedCountries().addVisitedCountries("FR").addVisitedCountries("DE"));
    refusedAt(
        "R4.10",
        ".visited_countries",
        k -> k.clearVisitedCountries().addVisitedCountries("DE").addVisitedCountries("DE"));
  }

  /**
   * R4.11: key 2 repeats the key_data of key 0; the violation is reported on the later key. When it
   * fails: the node does not detect repeated keys, or names the wrong one.
   */
  public void R4_11_refusesRepeatedKeyData() {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(3));
    ByteString first = keys.get(0).getKeyData();
    keys.set(2, keys.get(2).toBuilder().setKeyData(first).build());
    publishRefused(Status.Code.INVALID_ARGUMENT, "R4.11", sign(unsigned(a(), keys), a()))
        .hasField("batch.keys[2].key_data", "R4.11");
  }

  /**
   * R4.12: key 1 carries a protobuf field unknown to fedtrace.v1 (number 99); the violation names
   * the key itself, {@code batch.keys[1]}. The signature is valid (the encoding does not cover
   * unknown fields). When it fails: the node drops or ignores unknown fields.
   */
  public void R4_12_refusesKeyWithUnknownFields() {
    refusedAt("R4.12", "", k -> k.setUnknownFields(unknownField()));
  }
}
