package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.ReportType;

/**
 * Spec §15, matching: what GetExposures answers once the node has matched the batches it received
 * against the deposits (R15.15–R15.22), checked with the suite's own copy of the rules and the risk
 * model of §15.2. Most cases read one run of a shared matching scenario; deposits and access are in
 * {@link DepositCases}.
 */
public final class ExposureCases extends OperatorMatchingCaseBase {
  public ExposureCases(Session s) {
    super(s);
  }

  /**
   * R15.15: after the matching scenario of R15.16, a device key the node never saw and a device
   * that heard only identifiers of an unpublished key both have no exposure (OK, empty), while the
   * device that heard the published key has its one. When it fails: exposures leak between devices,
   * or unknown device keys are told apart from devices without exposures.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_15_answersOnlyTheDevicesExposures() {
    Scenario m = scenario();
    Expect.equal(
        0, exposures(m.bystander()).getExposuresCount(), "R15.15 exposures of a bystander");
    Expect.equal(
        0,
        exposures(batches().random16()).getExposuresCount(),
        "R15.15 exposures of an unknown device key");
    Expect.equal(1, m.answer().getExposuresCount(), "R15.15 exposures of the exposed device");
  }

  /**
   * R15.16: the backend deposits a device's observations of a key's RPIs, then member A publishes
   * the key in a batch with 20 padding keys (random key_data, same metadata) and a REVOKED key;
   * GetExposures answers, within 60 s, exactly one exposure, whose origin is member A's country.
   * When it fails: received batches are not matched (or not against deposits made before them), or
   * padding keys match.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_16_matchesReceivedBatches() {
    Scenario m = scenario();
    Expect.equal(1, m.answer().getExposuresCount(), "R15.16 exposures of the device");
    Expect.equal(a().identity().country(), m.answer().getExposures(0).getOrigin(), "R15.16 origin");
  }

  /**
   * R15.17: in that exposure, the observations heard 12 intervals before the key's first interval
   * and 12 after its last count, those heard 13 before and 13 after do not, and an observation that
   * was heard at a distance counts in the duration: intervals are the runs {@code s−12}, {@code
   * s+10..s+12}, {@code s+40}, {@code s+155} and the duration 1440 s. When it fails: the node
   * applies another tolerance, or reports intervals or durations of other observations.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_17_countsObservationsWithinTolerance() {
    Scenario m = scenario();
    Exposure e = m.answer().getExposures(0);
    long st = m.key().getRollingStartIntervalNumber();
    Expect.equal(
        List.of(
            range(st - 12, st - 12),
            range(st + 10, st + 12),
            range(st + 40, st + 40),
            range(st + 155, st + 155)),
        e.getIntervalsList(),
        "R15.17 interval ranges");
    Expect.equal(1440, e.getDurationSeconds(), "R15.17 duration_seconds");
  }

  /**
   * R15.18: the device also heard the REVOKED key of the scenario's batch; it has no exposure to it
   * (its only exposure is to the published key, none covers the interval it heard the revoked key
   * in). When it fails: a revocation raises a notification.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_18_ignoresRevokedKeys() {
    Scenario m = scenario();
    long heard = m.revoked().getRollingStartIntervalNumber() + 20;
    for (Exposure e : m.answer().getExposuresList()) {
      for (IntervalRange r : e.getIntervalsList()) {
        Expect.check(
            heard < r.getFirstInterval() || heard > r.getLastInterval(),
            "R15.18: an exposure covers interval " + heard + ", heard of a REVOKED key");
      }
    }
  }

  /**
   * R15.19: a device heard key K, published by member A; once its exposure is answered, member A
   * publishes a batch with K as REVOKED and a key L the device also heard; once L's exposure is
   * answered, K's is gone. When it fails: withdrawn keys keep notifying.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_19_withdrawsExposuresOfRevokedKeys() {
    ByteString device = batches().random16();
    DiagnosisKey k = batches().key(1);
    DiagnosisKey l = batches().key(2);
    deposited(deposit(device, List.of(heard(k, 5, 0, 300, NEAR_DB), heard(l, 7, 0, 300, 40))));
    publish(a().tls(), sign(unsigned(a(), List.of(k)), a()));
    awaitExposures(device, r -> r.getExposuresCount() == 1, "the exposure to K");
    DiagnosisKey revokedK = k.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
    publish(a().tls(), sign(unsigned(a(), List.of(revokedK, l)), a()));
    long lHeard = l.getRollingStartIntervalNumber() + 7;
    GetExposuresResponse after =
        awaitExposures(
            device,
            r ->
                r.getExposuresList().stream()
                    .anyMatch(e -> e.getIntervals(0).getFirstInterval() == lHeard),
            "the exposure to L");
    Expect.equal(1, after.getExposuresCount(), "R15.19 exposures once K is revoked");
  }

  /**
   * R15.20: the scenario's exposure has risk_score S of §15.2 computed by the suite (weights 100 %,
   * 50 % and 0 for near, medium and far; transmission risk 6; days since onset 7, so T = 0.75 and I
   * = 0.5), within 1e-9, notify_threshold is a positive number, and notified is S ≥ threshold. When
   * it fails: the node scores with another model than the one it must disclose.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_20_scoresWithTheRiskModel() {
    Scenario m = scenario();
    Exposure e = m.answer().getExposures(0);
    double threshold = m.answer().getNotifyThreshold();
    Expect.check(
        Math.abs(e.getRiskScore() - m.score()) < 1e-9,
        "R15.20: risk_score " + e.getRiskScore() + ", §15.2 gives " + m.score());
    Expect.check(threshold > 0, "R15.20: notify_threshold " + threshold + " is not positive");
    Expect.equal(e.getRiskScore() >= threshold, e.getNotified(), "R15.20 notified");
  }

  /**
   * R15.21 (controlled node): a device's exposure found before a restart is answered unchanged
   * after it, and a batch published after the restart is matched against observations deposited
   * before it, adding exactly one exposure. When it fails: exposures or deposits are lost in a
   * restart, or batches are matched twice.
   */
  @Needs({Need.OPERATOR_MATCHING, Need.CONTROLLED_NODE})
  public void R15_21_keepsExposuresAcrossRestart() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      ExposureCases c = new ExposureCases(cs);
      ByteString device = cs.batches().random16();
      DiagnosisKey k = cs.batches().key(1);
      DiagnosisKey l = cs.batches().key(2);
      c.deposited(deposit(device, List.of(heard(k, 3, 0, 300, 40), heard(l, 9, 0, 300, 40))));
      c.publish(c.a().tls(), sign(c.unsigned(c.a(), List.of(k)), c.a()));
      GetExposuresResponse before =
          c.awaitExposures(device, r -> r.getExposuresCount() == 1, "the exposure to K");
      node.restart();
      try (Session after = new Session(node.target())) {
        ExposureCases d = new ExposureCases(after);
        Expect.equal(
            before.getExposuresList(),
            d.exposures(device).getExposuresList(),
            "R15.21 exposures after the restart");
        d.publish(d.a().tls(), sign(d.unsigned(d.a(), List.of(l)), d.a()));
        GetExposuresResponse both =
            d.awaitExposures(device, r -> r.getExposuresCount() >= 2, "the exposure to L");
        Expect.equal(2, both.getExposuresCount(), "R15.21 exposures after a second batch");
        Expect.equal(
            before.getExposures(0), both.getExposures(0), "R15.21 the first exposure, unchanged");
      }
    }
  }

  /**
   * R15.22 (controlled node): a device's exposure to a key of two days ago is answered; after the
   * node's clock moves retention_days + 3 days on (its purge run), GetExposures answers none. When
   * it fails: exposures outlive the retention window.
   */
  @Needs({Need.OPERATOR_MATCHING, Need.CONTROLLED_NODE})
  public void R15_22_deletesExposuresPastRetention() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      ExposureCases c = new ExposureCases(cs);
      ByteString device = cs.batches().random16();
      DiagnosisKey k = cs.batches().key(2);
      c.deposited(deposit(device, List.of(heard(k, 10, 0, 300, 40))));
      c.publish(c.a().tls(), sign(c.unsigned(c.a(), List.of(k)), c.a()));
      c.awaitExposures(device, r -> r.getExposuresCount() == 1, "the exposure");
      node.advanceClock(Duration.ofDays(cs.info().getRetentionDays() + 3L));
      Expect.equal(
          0,
          c.exposures(device).getExposuresCount(),
          "R15.22 exposures once their intervals are past retention");
    }
  }

  // ---- the matching scenario, shared by the cases of R15.15 to R15.20 ------------------------

  /**
   * What one run of the matching scenario observed.
   *
   * @param key the published key the device heard
   * @param revoked the REVOKED key of the same batch, also heard
   * @param bystander a device that heard only identifiers of an unpublished key
   * @param answer GetExposures of the device once the node matched the batch
   * @param score S of §15.2 for the device's counting observations, computed by the suite
   */
  record Scenario(
      DiagnosisKey key,
      DiagnosisKey revoked,
      ByteString bystander,
      GetExposuresResponse answer,
      double score) {}

  private Scenario scenario() {
    return s.shared("operator-matching", this::runScenario);
  }

  private Scenario runScenario() {
    if (s.info().getRetentionDays() < 3) {
      throw new Skipped("the scenario needs keys of two days ago and a retention of 3 days");
    }
    DiagnosisKey k =
        batches().key(2).toBuilder()
            .setTransmissionRiskLevel(6)
            .setDaysSinceOnsetOfSymptoms(7)
            .build();
    DiagnosisKey revoked =
        batches().key(2).toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
    List<Observation> counted =
        List.of(
            heard(k, 0, -12, 60, NEAR_DB), // 12 intervals early: counts
            heard(k, 10, 0, 300, NEAR_DB),
            heard(k, 11, 0, 300, 60), // medium: half weight
            heard(k, 12, 0, 120, 70), // far: counted in the duration, weight 0
            heard(k, 40, 0, 600, 40),
            heard(k, 143, 12, 60, NEAR_DB)); // 12 intervals late: counts
    List<Observation> all = new ArrayList<>(counted);
    all.add(heard(k, 1, -14, 60, NEAR_DB)); // interval s − 13: too early
    all.add(heard(k, 142, 14, 60, NEAR_DB)); // interval s + 156: too late
    all.add(heard(revoked, 20, 0, 300, NEAR_DB));
    ByteString device = batches().random16();
    ByteString bystander = batches().random16();
    deposited(deposit(device, all));
    deposited(deposit(bystander, List.of(heard(batches().key(2), 10, 0, 300, NEAR_DB))));
    List<DiagnosisKey> keys = new ArrayList<>(List.of(k, revoked));
    for (int i = 0; i < 20; i++) {
      keys.add(k.toBuilder().setKeyData(batches().random16()).build());
    }
    publish(a().tls(), sign(unsigned(a(), keys), a()));
    GetExposuresResponse answer =
        awaitExposures(device, r -> r.getExposuresCount() > 0, "the exposure to the key");
    return new Scenario(k, revoked, bystander, answer, score(k, counted));
  }

  /** S of §15.2 for the counting observations {@code counted} of {@code key}. */
  static double score(DiagnosisKey key, List<Observation> counted) {
    long weighted = 0;
    for (Observation o : counted) {
      int a = o.getAttenuationDb();
      int percent = a <= 55 ? 100 : a <= 63 ? 50 : 0;
      weighted += (long) o.getDurationSeconds() * percent;
    }
    double t = key.getTransmissionRiskLevel() / 8.0;
    double i = 1.0;
    if (key.hasDaysSinceOnsetOfSymptoms()) {
      int d = key.getDaysSinceOnsetOfSymptoms();
      i = d >= -2 && d <= 5 ? 1.0 : (d >= -5 && d <= -3) || (d >= 6 && d <= 9) ? 0.5 : 0.0;
    }
    return weighted / 6000.0 * t * i;
  }

  private static IntervalRange range(long first, long last) {
    return IntervalRange.newBuilder()
        .setFirstInterval((int) first)
        .setLastInterval((int) last)
        .build();
  }
}
