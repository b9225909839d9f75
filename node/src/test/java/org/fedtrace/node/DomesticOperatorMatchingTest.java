package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.proto.v1.SharingConsent;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator-assisted matching of domestic-only keys (spec §25.6, R25.18, R25.19) across real nodes:
 * a person who declined federation still warns the subscribers at home whose phones heard them,
 * their keys stay out of every batch, and a node never matches another country's domestic keys.
 */
class DomesticOperatorMatchingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OPERATOR = "matching:\n  mode: operator\n";

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aDomesticOnlyKeyIsMatchedAtHomeUnderItsOwnOriginAndEntersNoBatch() throws Exception {
    // background work, so that the upload itself wakes matching (no batch is stored to do it)
    f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR").withConfig(OPERATOR);
    f.startNode("DE");
    f.startNode("FR");
    f.follow("DE", "FR");
    DiagnosisKey k = key(2);
    final long s = k.getRollingStartIntervalNumber();
    ByteString device = deviceKey();
    ByteString bystander = deviceKey();
    matching("FR").depositObservations(deposit(device, heard(k, 10), heard(k, 11), heard(k, 30)));
    matching("FR").depositObservations(deposit(bystander, heard(key(2), 10)));

    // FR's backend uploads without stating consent: domestic-only (R25.1)
    assertEquals(1, f.upload(f.node("FR"), upload("FR", List.of(k), null)).getAcceptedKeys());
    f.await(WAIT, () -> exposures("FR", device).getExposuresCount() == 1, "matched at home");

    GetExposuresResponse answer = exposures("FR", device);
    Exposure e = answer.getExposures(0);
    assertEquals("FR", e.getOrigin(), "R25.19: the node's own origin");
    assertEquals(List.of(range(s + 10, s + 11), range(s + 30, s + 30)), e.getIntervalsList());
    assertEquals(900, e.getDurationSeconds());
    assertEquals(15.0, e.getRiskScore(), 1e-9, "15 near minutes x T 1 x I 1");
    assertTrue(e.getNotified());
    assertEquals(0, exposures("FR", bystander).getExposuresCount());
    assertEquals(0.0, f.node("FR").metrics().batchesMatched(), "a domestic key is no batch");

    // a federate upload goes out in a batch, and the domestic key in none, at home or at DE
    DiagnosisKey federate = key(3);
    f.upload("FR", List.of(federate));
    f.node("FR").publishDue(true);
    f.await(
        WAIT,
        () -> !f.node("DE").store().read(tx -> tx.batches().ofOrigin("FR")).isEmpty(),
        "DE holds FR's batch");
    for (String c : List.of("FR", "DE")) {
      List<ByteString> inBatches = keysInBatches(f.node(c));
      assertTrue(inBatches.contains(federate.getKeyData()), "FR's batch reached " + c);
      assertFalse(inBatches.contains(k.getKeyData()), "a domestic-only key in a batch at " + c);
    }

    // R15.19 holds for domestic keys too: a domestic revocation withdraws the exposure
    DiagnosisKey revoked = k.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
    f.upload(
        f.node("FR"), upload("FR", List.of(revoked), SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY));
    f.await(WAIT, () -> exposures("FR", device).getExposuresCount() == 0, "withdrawn");
  }

  @Test
  void aNodeDoesNotMatchTheDomesticOnlyKeysOfAnotherCountry() throws Exception {
    f =
        TestFederation.create(dir, Clock.systemUTC(), "DE", "FR")
            .withConfig(OPERATOR)
            .withoutBackgroundWork();
    f.startNode("DE");
    f.startNode("FR");
    f.follow("FR", "DE");
    DiagnosisKey domestic = key(2);
    DiagnosisKey federate = key(2);
    ByteString heardDomestic = deviceKey();
    ByteString heardFederate = deviceKey();
    ByteString atDe = deviceKey();
    matching("FR").depositObservations(deposit(heardDomestic, heard(domestic, 10)));
    matching("FR").depositObservations(deposit(heardFederate, heard(federate, 10)));
    matching("DE").depositObservations(deposit(atDe, heard(domestic, 10)));

    f.upload(
        f.node("DE"),
        upload("DE", List.of(domestic), SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY));
    f.upload("DE", List.of(federate));
    f.node("DE").publishDue(true);
    f.await(WAIT, () -> f.node("FR").matchStored() > 0, "FR matched DE's batch");
    f.node("FR").matchStored();
    f.node("DE").matchStored();

    assertEquals(1, exposures("FR", heardFederate).getExposuresCount(), "the federate key");
    assertEquals("DE", exposures("FR", heardFederate).getExposures(0).getOrigin());
    assertEquals(0, exposures("FR", heardDomestic).getExposuresCount(), "DE's domestic key");
    assertEquals(1, exposures("DE", atDe).getExposuresCount(), "DE finds it at home");
    assertEquals("DE", exposures("DE", atDe).getExposures(0).getOrigin());
    assertFalse(keysInBatches(f.node("FR")).contains(domestic.getKeyData()));
  }

  /** A whole-day key of {@code daysAgo} days ago, maximally infectious (T = I = 1). */
  private DiagnosisKey key(int daysAgo) {
    return new TestBatches(random.nextLong(), java.time.Instant.now())
        .key(daysAgo).toBuilder()
            .setTransmissionRiskLevel(8)
            .setDaysSinceOnsetOfSymptoms(0)
            .build();
  }

  /** An upload of {@code country}'s backend with {@code sharing}, or none stated when null. */
  private UploadDiagnosisKeysRequest upload(
      String country, List<DiagnosisKey> keys, SharingConsent sharing) {
    UploadDiagnosisKeysRequest.Builder b = f.authorizedUpload(country, keys).toBuilder();
    return sharing == null ? b.clearSharing().build() : b.setSharing(sharing).build();
  }

  /** An observation of {@code key}'s RPI of interval {@code start + j}, heard then, 5 min, near. */
  private static Observation heard(DiagnosisKey key, int j) {
    byte[] rpi = new byte[16];
    int interval = key.getRollingStartIntervalNumber() + j;
    TokenDeriver.create().deriveRpis(key.getKeyData().toByteArray(), interval, 1, rpi, 0);
    return Observation.newBuilder()
        .setRpi(ByteString.copyFrom(rpi))
        .setIntervalNumber(interval)
        .setDurationSeconds(300)
        .setAttenuationDb(50)
        .build();
  }

  private static DepositObservationsRequest deposit(ByteString device, Observation... obs) {
    return DepositObservationsRequest.newBuilder()
        .setDeviceKey(device)
        .addAllObservations(List.of(obs))
        .build();
  }

  private OperatorMatchingGrpc.OperatorMatchingBlockingStub matching(String node) throws Exception {
    return OperatorMatchingGrpc.newBlockingStub(f.channel(node, f.credentials(node).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private GetExposuresResponse exposures(String node, ByteString device) {
    try {
      return matching(node)
          .getExposures(GetExposuresRequest.newBuilder().setDeviceKey(device).build());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private ByteString deviceKey() {
    byte[] k = new byte[16];
    random.nextBytes(k);
    return ByteString.copyFrom(k);
  }

  private static IntervalRange range(long first, long last) {
    return IntervalRange.newBuilder()
        .setFirstInterval((int) first)
        .setLastInterval((int) last)
        .build();
  }

  /** The key data of every key in every batch {@code n} holds, of any origin. */
  private static List<ByteString> keysInBatches(Node n) throws Exception {
    List<ByteString> out = new java.util.ArrayList<>();
    for (StoredBatch b : n.store().read(tx -> tx.batches().withKeysAfter(0, 1_000)).batches()) {
      for (DiagnosisKey k : DiagnosisKeyBatch.parseFrom(b.payload()).getKeysList()) {
        out.add(k.getKeyData());
      }
    }
    return out;
  }
}
