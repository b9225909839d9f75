package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.OnsetRange;
import org.fedtrace.proto.v1.SymptomStatus;

/**
 * Spec §26.1: the symptom status of a key. The refusal cases publish, as member A, a batch of three
 * keys signed by member A in which only key 1 breaks the rule; the others publish batches with
 * every symptom state and check what the node does with them.
 */
public final class SymptomCases extends OperatorMatchingCaseBase {
  public SymptomCases(Session s) {
    super(s);
  }

  private static SymptomStatus.Builder range(int days, int sinceEnd) {
    return SymptomStatus.newBuilder()
        .setOnsetRange(OnsetRange.newBuilder().setRangeDays(days).setDaysSinceRangeEnd(sinceEnd));
  }

  /** A key of two days ago with {@code status} and without days since onset. */
  private DiagnosisKey withStatus(SymptomStatus.Builder status) {
    return batches().key(2).toBuilder()
        .clearDaysSinceOnsetOfSymptoms()
        .setSymptomStatus(status)
        .build();
  }

  private void refusedAt(String rule, String field, UnaryOperator<DiagnosisKey.Builder> edit) {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(3));
    keys.set(1, edit.apply(keys.get(1).toBuilder().clearDaysSinceOnsetOfSymptoms()).build());
    publishRefused(Status.Code.INVALID_ARGUMENT, rule, sign(unsigned(a(), keys), a()))
        .hasField("batch.keys[1]" + field, rule);
  }

  /**
   * R26.1: a key with days since onset 0 and an asymptomatic status. When it fails: the node lets
   * one key say two things, and two nodes may read it differently.
   */
  public void R26_1_refusesBothSymptomFields() {
    refusedAt(
        "R26.1",
        ".symptom_status",
        k ->
            k.setDaysSinceOnsetOfSymptoms(0)
                .setSymptomStatus(
                    SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(0)));
  }

  /**
   * R26.2: a present symptom_status that sets no state (on the wire: field 8, length 0). When it
   * fails: the node accepts a status that says nothing, which an encoder cannot encode.
   */
  public void R26_2_refusesStatusWithoutState() {
    refusedAt(
        "R26.2", ".symptom_status", k -> k.setSymptomStatus(SymptomStatus.getDefaultInstance()));
  }

  /**
   * R26.3: onset ranges of 0 days (the proto3 default) and of 20 days. When it fails: the node
   * takes a missing range length for a real one, or accepts codes that collide with 2000 ± 14.
   */
  public void R26_3_refusesOnsetRangeLengthOutOfRange() {
    String field = ".symptom_status.onset_range.range_days";
    refusedAt("R26.3", field, k -> k.setSymptomStatus(range(0, 0)));
    refusedAt("R26.3", field, k -> k.setSymptomStatus(range(20, 0)));
  }

  /**
   * R26.4: day counts of 15 and -15 in an onset range, an unknown onset, an asymptomatic and an
   * unknown status. When it fails: the range check of a state is missing or off by one.
   */
  public void R26_4_refusesSymptomDayCountOutOfRange() {
    String path = ".symptom_status.";
    refusedAt(
        "R26.4", path + "onset_range.days_since_range_end", k -> k.setSymptomStatus(range(7, 15)));
    refusedAt(
        "R26.4",
        path + "onset_unknown_days_since_submission",
        k ->
            k.setSymptomStatus(SymptomStatus.newBuilder().setOnsetUnknownDaysSinceSubmission(-15)));
    refusedAt(
        "R26.4",
        path + "asymptomatic_days_since_submission",
        k -> k.setSymptomStatus(SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(15)));
    refusedAt(
        "R26.4",
        path + "unknown_days_since_submission",
        k -> k.setSymptomStatus(SymptomStatus.newBuilder().setUnknownDaysSinceSubmission(-15)));
  }

  /**
   * R26.8: a batch whose keys carry every symptom state, each with day count 0 and at its limits,
   * signed over the suite's own encoding of §26.1, is accepted and served unchanged (GetBatch); the
   * same batch signed over the encoding with the statuses dropped (what a relay that loses field 8
   * would make) is refused by R8.20. When it fails: the node encodes the symptom byte otherwise
   * than the spec, or loses the status when it stores the batch.
   */
  public void R26_8_signsEverySymptomState() {
    List<DiagnosisKey> keys =
        List.of(
            withStatus(range(1, -14)),
            withStatus(range(19, 14)),
            withStatus(range(7, 0)),
            withStatus(SymptomStatus.newBuilder().setOnsetUnknownDaysSinceSubmission(0)),
            withStatus(SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(0)),
            withStatus(SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(-14)),
            withStatus(SymptomStatus.newBuilder().setUnknownDaysSinceSubmission(0)),
            batches().key(2).toBuilder().setDaysSinceOnsetOfSymptoms(0).build(),
            batches().key(2).toBuilder().clearDaysSinceOnsetOfSymptoms().build());
    DiagnosisKeyBatch b = sign(unsigned(a(), keys), a());
    publish(a().tls(), b);
    assertServed(b);
    List<DiagnosisKey> dropped = new ArrayList<>();
    keys.forEach(k -> dropped.add(k.toBuilder().clearSymptomStatus().build()));
    DiagnosisKeyBatch.Builder other = unsigned(a(), keys);
    byte[] wrong =
        Ed25519.sign(
            a().signing().privateKey(),
            Canonical.batch(other.clone().clearKeys().addAllKeys(dropped).build()));
    DiagnosisKeyBatch forged =
        other
            .setSignerCertificate(ByteString.copyFrom(a().signing().der()))
            .setSignature(ByteString.copyFrom(wrong))
            .build();
    publishRefused(Status.Code.INVALID_ARGUMENT, "R8.20", forged);
  }

  /**
   * R26.7 (operator-assisted node): a key whose onset lies in a 3-day range ending 8 days before
   * its day (8 to 10 days since onset) scores with I = 0.5 (its most infectious day, 8), and an
   * asymptomatic key scores with I = 1, as without days since onset. When it fails: the node scores
   * a range by its end, by its start or as absent, or reads a day count as days since onset.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R26_7_scoresSymptomStatesByTheRiskModel() {
    if (s.info().getRetentionDays() < 3) {
      throw new Skipped("needs keys of two days ago (retention of 3 days)");
    }
    DiagnosisKey ranged = withStatus(range(3, 8)).toBuilder().setTransmissionRiskLevel(8).build();
    DiagnosisKey asymptomatic =
        withStatus(SymptomStatus.newBuilder().setAsymptomaticDaysSinceSubmission(-2)).toBuilder()
            .setTransmissionRiskLevel(8)
            .build();
    ByteString device = batches().random16();
    Observation nearRanged = heard(ranged, 10, 0, 300, NEAR_DB);
    Observation nearAsymptomatic = heard(asymptomatic, 40, 0, 300, NEAR_DB);
    deposited(deposit(device, List.of(nearRanged, nearAsymptomatic)));
    publish(a().tls(), sign(unsigned(a(), List.of(ranged, asymptomatic)), a()));
    GetExposuresResponse r =
        awaitExposures(device, e -> e.getExposuresCount() >= 2, "exposures to both keys");
    // 300 s near: W = 5 weighted minutes; T = 8 / 8
    Expect.equal(2.5, scoreAt(r, nearRanged), "R26.7 risk_score of the onset-range key");
    Expect.equal(5.0, scoreAt(r, nearAsymptomatic), "R26.7 risk_score of the asymptomatic key");
  }

  private static double scoreAt(GetExposuresResponse r, Observation o) {
    for (Exposure e : r.getExposuresList()) {
      if (e.getIntervals(0).getFirstInterval() == o.getIntervalNumber()) {
        return e.getRiskScore();
      }
    }
    Expect.check(false, "R26.7: no exposure at interval " + o.getIntervalNumber());
    return Double.NaN;
  }
}
