package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device mode and operator-assisted mode (spec §15) over real mutual TLS: a subscriber of FR
 * deposits what their phone heard of a DE key, and FR's node finds the exposure when the key
 * arrives in a batch; only FR's own backend may deposit or ask; deposits and exposures are durable,
 * follow retention, revocation and the sunset; device mode offers none of it.
 */
class OperatorMatchingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OPERATOR = "matching:\n  mode: operator\n";
  private static final int NEAR_DB = 50;

  @TempDir Path dir;

  private final MutableClock clock = MutableClock.atSystemTime();
  private final SecureRandom random = new SecureRandom();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  /** DE and FR members; FR's node in operator mode (plus {@code yaml}), without background work. */
  private Node operatorNodeFr(String yaml) throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR").withConfig(OPERATOR + yaml);
    return f.withoutBackgroundWork().startNode("FR");
  }

  private OperatorMatchingGrpc.OperatorMatchingBlockingStub matching(String node, String caller)
      throws Exception {
    return OperatorMatchingGrpc.newBlockingStub(f.channel(node, f.credentials(caller).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A whole-day key of {@code daysAgo} days ago, maximally infectious (T = I = 1). */
  private DiagnosisKey key(int daysAgo) {
    return new TestBatches(random.nextLong(), clock.instant())
        .key(daysAgo).toBuilder()
            .setTransmissionRiskLevel(8)
            .setDaysSinceOnsetOfSymptoms(0)
            .build();
  }

  /** An observation of {@code key}'s RPI for interval {@code start + j}, heard in {@code heard}. */
  private static Observation heard(DiagnosisKey key, int j, long heard, int seconds, int db) {
    byte[] rpi = new byte[16];
    TokenDeriver.create()
        .deriveRpis(
            key.getKeyData().toByteArray(), key.getRollingStartIntervalNumber() + j, 1, rpi, 0);
    return Observation.newBuilder()
        .setRpi(ByteString.copyFrom(rpi))
        .setIntervalNumber((int) heard)
        .setDurationSeconds(seconds)
        .setAttenuationDb(db)
        .build();
  }

  /** An observation of {@code key}'s RPI of interval {@code start + j}, heard then, 5 min, near. */
  private static Observation heard(DiagnosisKey key, int j) {
    return heard(key, j, key.getRollingStartIntervalNumber() + j, 300, NEAR_DB);
  }

  private static DepositObservationsRequest deposit(ByteString device, List<Observation> obs) {
    return DepositObservationsRequest.newBuilder()
        .setDeviceKey(device)
        .addAllObservations(obs)
        .build();
  }

  private static GetExposuresRequest ask(ByteString device) {
    return GetExposuresRequest.newBuilder().setDeviceKey(device).build();
  }

  private ByteString deviceKey() {
    byte[] k = new byte[16];
    random.nextBytes(k);
    return ByteString.copyFrom(k);
  }

  /** {@code keys} in a batch of DE signed by DE, pushed to FR by DE. */
  private void publishFromDe(long sequence, List<DiagnosisKey> keys) throws Exception {
    DiagnosisKeyBatch b =
        Signatures.sign(
            new TestBatches(random.nextLong(), clock.instant()).batch("DE", sequence, keys),
            f.credentials("DE").signing());
    f.federation("FR", "DE").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
  }

  private static IntervalRange range(long first, long last) {
    return IntervalRange.newBuilder()
        .setFirstInterval((int) first)
        .setLastInterval((int) last)
        .build();
  }

  private long observationsHeld(Node node) {
    return node.store().read(tx -> tx.operator().observationCount());
  }

  @Test
  void replicasTakeDepositsAndOneOfThemMatchesThemAllThenAnotherTakesOver() throws Exception {
    f =
        TestFederation.create(dir, Clock.systemUTC(), "DE", "FR")
            .withPostgres()
            .withConfig(OPERATOR)
            .withoutBackgroundWork();
    Node a = f.startNode("FR"); // takes the operator-matching lease first
    Node b = f.startReplica("FR");
    io.grpc.ManagedChannel toB = f.channel(b, f.credentials("FR").tls());
    java.util.function.Supplier<OperatorMatchingGrpc.OperatorMatchingBlockingStub> atB =
        () -> OperatorMatchingGrpc.newBlockingStub(toB).withDeadlineAfter(10, TimeUnit.SECONDS);
    DiagnosisKey first = key(2);
    ByteString deviceAtB = deviceKey();
    atB.get().depositObservations(deposit(deviceAtB, List.of(heard(first, 10), heard(first, 11))));
    publishFromDe(1, List.of(first)); // to replica a
    assertEquals(0, b.matchStored(), "b does not match while a holds the lease");
    assertEquals(1, a.matchStored(), "a matches, with the deposit made through b");
    assertEquals(1, atB.get().getExposures(ask(deviceAtB)).getExposuresCount());

    DiagnosisKey second = key(3);
    ByteString deviceAtA = deviceKey();
    matching("FR", "FR")
        .depositObservations(deposit(deviceAtA, List.of(heard(second, 20), heard(second, 21))));
    a.stop(Duration.ofSeconds(5)); // gives the lease up; b takes it within a third of its life
    DiagnosisKeyBatch batch =
        Signatures.sign(
            new TestBatches(random.nextLong(), clock.instant()).batch("DE", 2, List.of(second)),
            f.credentials("DE").signing());
    FederationGrpc.newBlockingStub(f.channel(b, f.credentials("DE").tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .publishBatch(PublishBatchRequest.newBuilder().setBatch(batch).build());
    f.await(
        WAIT,
        () -> {
          b.matchStored();
          return atB.get().getExposures(ask(deviceAtA)).getExposuresCount() == 1;
        },
        "b took matching over, with the deposit made through a");
    assertEquals(
        1, atB.get().getExposures(ask(deviceAtB)).getExposuresCount(), "nothing matched twice");
  }

  @Test
  void aSubscriberAtFrLearnsOfAnExposureToAKeyUploadedAtDeAndPaddingMatchesNothing()
      throws Exception {
    // the real clock: rate limits refill with it
    f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR").withConfig(OPERATOR);
    f.startNode("DE");
    f.startNode("FR");
    assertTrue(
        f.federation("FR", "DE")
            .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())
            .getFeaturesList()
            .contains("operator-matching"));
    DiagnosisKey k = key(2);
    long s = k.getRollingStartIntervalNumber();
    ByteString device = deviceKey();
    ByteString bystander = deviceKey();
    OperatorMatchingGrpc.OperatorMatchingBlockingStub backend = matching("FR", "FR");
    DepositObservationsResponse stored =
        backend.depositObservations(
            deposit(
                device,
                List.of(
                    heard(k, 10),
                    heard(k, 11),
                    heard(k, 12),
                    heard(k, 40),
                    // heard 13 intervals after the key's last interval (s + 143): beyond the
                    // tolerance of 12
                    heard(k, 5, s + 143 + 12 + 1, 600, NEAR_DB))));
    assertEquals(5, stored.getStoredObservations());
    backend.depositObservations(deposit(bystander, List.of(heard(key(2), 10))));

    // DE's backend uploads the key; DE pads its batch to 64 keys with random ones; FR follows DE
    f.follow("FR", "DE");
    f.upload("DE", List.of(k));
    f.node("DE").publishDue(true); // at once, not when the background batching comes round
    f.await(WAIT, () -> !backend.getExposures(ask(device)).getExposuresList().isEmpty(), "matched");

    GetExposuresResponse answer = matching("FR", "FR").getExposures(ask(device));
    assertEquals(1, answer.getExposuresCount(), "padding keys match nothing: " + answer);
    Exposure e = answer.getExposures(0);
    assertEquals("DE", e.getOrigin());
    assertEquals(List.of(range(s + 10, s + 12), range(s + 40, s + 40)), e.getIntervalsList());
    assertEquals(1200, e.getDurationSeconds());
    assertEquals(20.0, e.getRiskScore(), 1e-9, "20 near minutes x T 1 x I 1");
    assertTrue(e.getNotified());
    assertEquals(15.0, answer.getNotifyThreshold());
    assertEquals(
        64,
        f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).keyCount(),
        "padded");
    assertEquals(0, matching("FR", "FR").getExposures(ask(bystander)).getExposuresCount());
    assertTrue(f.node("FR").metrics().batchesMatched() >= 1);

    // only FR's own backend may deposit or ask
    refused(
        Status.Code.PERMISSION_DENIED,
        "R15.1: operator matching serves only this node's own country FR",
        () -> matching("FR", "DE").getExposures(ask(device)));
    refused(
        Status.Code.PERMISSION_DENIED,
        "R15.1: operator matching serves only this node's own country FR",
        () -> matching("FR", "DE").depositObservations(deposit(device, List.of(heard(k, 1)))));
  }

  @Test
  void deviceModeAnswersUnimplementedAndDoesNotListTheFeature() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("FR");
    assertEquals(
        List.of("subscribe", "upload", "transparency-log", "witnessing", "notice"),
        f.federation("FR", "FR")
            .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())
            .getFeaturesList());
    for (String caller : List.of("FR", "DE")) {
      refused(
          Status.Code.UNIMPLEMENTED,
          "R6.17: the node runs in device mode; operator-matching is not offered",
          () -> matching("FR", caller).getExposures(ask(deviceKey())));
      refused(
          Status.Code.UNIMPLEMENTED,
          "R6.17: the node runs in device mode; operator-matching is not offered",
          () -> matching("FR", caller).depositObservations(deposit(deviceKey(), List.of())));
    }
  }

  @Test
  void depositsExposuresAndProgressSurviveARestartAndARetryStoresNothingTwice() throws Exception {
    operatorNodeFr("");
    DiagnosisKey k1 = key(1);
    DiagnosisKey k2 = key(2);
    ByteString device = deviceKey();
    DepositObservationsRequest request =
        deposit(device, List.of(heard(k1, 20), heard(k2, 30), heard(k2, 31)));
    assertEquals(3, matching("FR", "FR").depositObservations(request).getStoredObservations());
    publishFromDe(1, List.of(k1));
    assertEquals(1, f.node("FR").matchStored());
    List<Exposure> before = matching("FR", "FR").getExposures(ask(device)).getExposuresList();
    assertEquals(1, before.size());

    f.stopNode("FR");
    Node fr = f.startNode("FR");
    assertEquals(3, observationsHeld(fr));
    assertEquals(before, matching("FR", "FR").getExposures(ask(device)).getExposuresList());
    assertEquals(0, fr.matchStored(), "the batch matched before the restart is not matched again");
    DepositObservationsResponse retry = matching("FR", "FR").depositObservations(request);
    assertEquals(0, retry.getStoredObservations());
    assertEquals(3, retry.getDuplicateObservations());

    publishFromDe(2, List.of(k2)); // matched against deposits loaded from the store
    assertEquals(1, fr.matchStored());
    List<Exposure> after = matching("FR", "FR").getExposures(ask(device)).getExposuresList();
    assertEquals(before.get(0), after.get(0));
    long s2 = k2.getRollingStartIntervalNumber();
    assertEquals(List.of(range(s2 + 30, s2 + 31)), after.get(1).getIntervalsList());
    assertEquals(600, after.get(1).getDurationSeconds());
    assertFalse(after.get(1).getNotified(), "10 near minutes stay below 15");
  }

  @Test
  void revokedKeysRaiseNoExposureAndWithdrawTheExposuresOfTheKeyTheyRevoke() throws Exception {
    operatorNodeFr("");
    DiagnosisKey k1 = key(1);
    DiagnosisKey revoked = key(2).toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
    ByteString device = deviceKey();
    matching("FR", "FR")
        .depositObservations(deposit(device, List.of(heard(k1, 7), heard(revoked, 9))));
    publishFromDe(1, List.of(k1, revoked));
    f.node("FR").matchStored();
    List<Exposure> found = matching("FR", "FR").getExposures(ask(device)).getExposuresList();
    assertEquals(1, found.size());
    long s1 = k1.getRollingStartIntervalNumber();
    assertEquals(List.of(range(s1 + 7, s1 + 7)), found.get(0).getIntervalsList());

    publishFromDe(2, List.of(k1.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build()));
    f.node("FR").matchStored();
    assertEquals(0, matching("FR", "FR").getExposures(ask(device)).getExposuresCount());

    // a key and its revocation matched in one round (one page of batches): nothing stays
    DiagnosisKey k3 = key(3);
    ByteString other = deviceKey();
    matching("FR", "FR").depositObservations(deposit(other, List.of(heard(k3, 20))));
    publishFromDe(3, List.of(k3));
    publishFromDe(4, List.of(k3.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build()));
    assertEquals(2, f.node("FR").matchStored());
    assertEquals(0, matching("FR", "FR").getExposures(ask(other)).getExposuresCount());
    assertEquals(0.0, f.node("FR").metrics().matchLag(), "caught up with the store");

    // the revocation overtook the key (another route): the key still never matches (R15.18)
    DiagnosisKey k4 = key(4);
    ByteString late = deviceKey();
    matching("FR", "FR").depositObservations(deposit(late, List.of(heard(k4, 30))));
    publishFromDe(5, List.of(k4.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build()));
    f.node("FR").matchStored();
    publishFromDe(6, List.of(k4));
    f.node("FR").matchStored();
    assertEquals(0, matching("FR", "FR").getExposures(ask(late)).getExposuresCount());
  }

  @Test
  void aNodeRestartedInDeviceModeErasesWhatOperatorModeLeft() throws Exception {
    Node fr = operatorNodeFr("");
    DiagnosisKey k = key(1);
    ByteString device = deviceKey();
    matching("FR", "FR").depositObservations(deposit(device, List.of(heard(k, 7))));
    publishFromDe(1, List.of(k));
    fr.matchStored();
    assertEquals(1, matching("FR", "FR").getExposures(ask(device)).getExposuresCount());
    f.stopNode("FR");

    f.withConfig("");
    Node restarted = f.startNode("FR");
    assertEquals(0, observationsHeld(restarted), "nothing would purge them in device mode");
    assertEquals(
        0L,
        (long) restarted.store().read(tx -> tx.operator().exposureCount()),
        "nor erase them at the sunset");
  }

  @Test
  void retentionDropsOldObservationsFromTheStoreAndTheIndexThenOldExposures() throws Exception {
    Node fr = operatorNodeFr("");
    int retentionDays = fr.agreement().retentionDays();
    DiagnosisKey k = key(3);
    long s = k.getRollingStartIntervalNumber();
    ByteString device = deviceKey();
    matching("FR", "FR").depositObservations(deposit(device, List.of(heard(k, 0), heard(k, 100))));

    // the window start W moves to s + 50: the first observation leaves, the key stays valid
    clock.set(Instant.ofEpochSecond((s + 50 + retentionDays * 144L) * 600));
    fr.housekeeping();
    assertEquals(1, observationsHeld(fr));
    publishFromDe(1, List.of(k));
    fr.matchStored();
    List<Exposure> found = matching("FR", "FR").getExposures(ask(device)).getExposuresList();
    assertEquals(1, found.size());
    assertEquals(List.of(range(s + 100, s + 100)), found.get(0).getIntervalsList());

    clock.set(Instant.ofEpochSecond((s + 101 + retentionDays * 144L) * 600));
    fr.housekeeping();
    assertEquals(0, observationsHeld(fr));
    assertEquals(0, matching("FR", "FR").getExposures(ask(device)).getExposuresCount());
  }

  @Test
  void pastTheSunsetDepositsAndExposuresAreErasedAndTheServiceRefuses() throws Exception {
    Node fr = operatorNodeFr("");
    DiagnosisKey k = key(1);
    ByteString device = deviceKey();
    matching("FR", "FR").depositObservations(deposit(device, List.of(heard(k, 3))));
    publishFromDe(1, List.of(k));
    fr.matchStored();
    assertEquals(1, matching("FR", "FR").getExposures(ask(device)).getExposuresCount());

    LocalDate sunset = fr.agreement().sunsetDate();
    clock.set(sunset.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    fr.housekeeping();
    assertEquals(0, observationsHeld(fr));
    assertEquals(0, (long) fr.store().read(tx -> tx.operator().exposureCount()));
    String closed =
        "R15.2: the federation agreement ended on " + sunset + "; operator matching is closed";
    refused(
        Status.Code.FAILED_PRECONDITION,
        closed,
        () -> matching("FR", "FR").getExposures(ask(device)));
    refused(
        Status.Code.FAILED_PRECONDITION,
        closed,
        () -> matching("FR", "FR").depositObservations(deposit(device, List.of(heard(k, 4)))));
  }

  @Test
  void malformedDepositsAreRefusedWithOneFieldViolationEachAndLimitsHold() throws Exception {
    operatorNodeFr("  maxObservationsPerDevice: 3\n");
    DiagnosisKey k = key(1);
    long now = clock.instant().getEpochSecond() / 600;
    int retentionDays = f.node("FR").agreement().retentionDays();
    Observation good = heard(k, 1);
    List<Observation> bad = new ArrayList<>();
    bad.add(good.toBuilder().setRpi(ByteString.copyFrom(new byte[15])).build());
    bad.add(
        good.toBuilder()
            .setIntervalNumber((int) now + 2)
            .setDurationSeconds(0)
            .setAttenuationDb(256)
            .build());
    bad.add(good.toBuilder().setIntervalNumber((int) (now - retentionDays * 144L - 1)).build());
    bad.add(good);
    bad.add(good.toBuilder().setDurationSeconds(60).build());
    bad.add(
        heard(k, 2).toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("extra"))
                            .build())
                    .build())
            .build());
    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R15.3: 8 violations; see the details",
            () ->
                matching("FR", "FR")
                    .depositObservations(deposit(ByteString.copyFrom(new byte[15]), bad)));
    assertEquals(
        List.of(
            "device_key | R15.3: must be 16 bytes, got 15",
            "observations[0].rpi | R15.5: must be 16 bytes, got 15",
            "observations[1].interval_number | R15.6: is in the future",
            "observations[1].duration_seconds | R15.8: must be in 1..600, got 0",
            "observations[1].attenuation_db | R15.9: must be in 0..255, got 256",
            "observations[2].interval_number | R15.7: is before the retention window",
            "observations[4].rpi | R15.10: repeats an earlier observation of the same interval",
            "observations[5] | R15.11: carries fields unknown to v1"),
        violations(e));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "R15.4: observations must hold 1..10000 observations, got 0",
        () -> matching("FR", "FR").depositObservations(deposit(deviceKey(), List.of())));
    assertEquals(
        List.of("device_key | R15.3: must be 16 bytes, got 0"),
        violations(
            refused(
                Status.Code.INVALID_ARGUMENT,
                "R15.3: device_key must be 16 bytes, got 0",
                () -> matching("FR", "FR").getExposures(ask(ByteString.EMPTY)))));

    // the per-device limit counts what the device holds plus what is new; a refusal stores nothing
    ByteString device = deviceKey();
    matching("FR", "FR").depositObservations(deposit(device, List.of(heard(k, 1), heard(k, 2))));
    refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "R15.12: the device would hold 4 observations; this node keeps at most 3 per device",
        () ->
            matching("FR", "FR")
                .depositObservations(
                    deposit(device, List.of(heard(k, 2), heard(k, 3), heard(k, 4)))));
    DepositObservationsResponse r =
        matching("FR", "FR")
            .depositObservations(deposit(device, List.of(heard(k, 2), heard(k, 3))));
    assertEquals(1, r.getStoredObservations());
    assertEquals(1, r.getDuplicateObservations());
    assertEquals(3, observationsHeld(f.node("FR")));
  }
}
