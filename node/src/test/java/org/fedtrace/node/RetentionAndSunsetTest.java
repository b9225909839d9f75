package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (§21.3) and sunset (§21.2) enforced by code on the node's clock: a {@link MutableClock}
 * moves time forward, {@link Node#housekeeping()} runs the purge and the sunset erasure at once.
 * TLS keeps the real time; the certificates are valid for a year.
 */
class RetentionAndSunsetTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long INTERVAL_SECONDS = 600;

  @TempDir Path dir;

  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private final MutableClock clock = MutableClock.atSystemTime();

  private static PublishBatchRequest push(DiagnosisKeyBatch b) {
    return PublishBatchRequest.newBuilder().setBatch(b).build();
  }

  private static GetBatchRequest get(DiagnosisKeyBatch b) {
    return GetBatchRequest.newBuilder().setOrigin(b.getOrigin()).setBatchId(b.getBatchId()).build();
  }

  @Test
  void r21_12_aBatchIsServedUntilAKeyIsPastRetentionThenPurgedAndItsRecordKept() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR", "BE");
    f.startNode("DE");
    Node de = f.node("DE");
    FederationGrpc.FederationBlockingStub fr = f.federation("DE", "FR");
    FederationGrpc.FederationBlockingStub be = f.federation("DE", "BE"); // pulls FR's batches
    TestBatches batches = new TestBatches(21, clock.instant());
    DiagnosisKey oldest = batches.key(13);
    DiagnosisKeyBatch b =
        Signatures.sign(
            batches.batch("FR", 1, List.of(oldest, batches.key(1), batches.key(2))),
            f.credentials("FR").signing());
    assertFalse(fr.publishBatch(push(b)).getDuplicate());
    long end = oldest.getRollingStartIntervalNumber() + oldest.getRollingPeriod();
    long window = de.agreement().retentionDays() * 144L;

    // The last instant at which the key is not past retention: W = end (§1.3: past is end < W)
    Instant lastInWindow =
        Instant.ofEpochSecond((end + window) * INTERVAL_SECONDS + INTERVAL_SECONDS - 1);
    // served while a client up to 600 s ahead still takes the key (§1.3 "servable")
    clock.set(lastInWindow.minusSeconds(600));
    de.housekeeping();
    assertEquals(b, fr.getBatch(get(b)).getBatch(), "still servable on the last interval");
    assertEquals(1, be.pullBatches(PullBatchesRequest.getDefaultInstance()).getBatchesCount());
    assertTrue(fr.publishBatch(push(b)).getDuplicate(), "held, so a replay is a duplicate");

    clock.advance(Duration.ofSeconds(1)); // a client 600 s ahead finds the key past retention
    refused(Status.Code.NOT_FOUND, "R11.3: no such batch is served", () -> fr.getBatch(get(b)));
    PullBatchesResponse pulled = be.pullBatches(PullBatchesRequest.getDefaultInstance());
    assertEquals(0, pulled.getBatchesCount(), "pull skips it");
    assertTrue(pulled.getCaughtUp());

    clock.set(lastInWindow.plusSeconds(1)); // W = end + 1: the key is past retention
    de.housekeeping();
    assertEquals(
        1,
        (long) de.store().read(tx -> tx.batches().recordCount()),
        "the seen-batch record outlives the keys");
    DiagnosisKeyBatch kept =
        TestBatches.parse(de.store().read(tx -> tx.batches().ofOrigin("FR")).get(0).payload());
    assertEquals(List.of(b.getKeys(1), b.getKeys(2)), kept.getKeysList(), "only that key went");

    // A replay of the purged batch breaks R4.4 (§8.2: duplicate = true means held) ...
    var replay =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R4.4: batch.keys[0].rolling_start_interval_number the key is past retention",
            () -> fr.publishBatch(push(b)));
    assertEquals(
        List.of("batch.keys[0].rolling_start_interval_number | R4.4: the key is past retention"),
        violations(replay));
    // ... and the record still recognizes its id and its sequence with new, valid content
    TestBatches later = new TestBatches(22, clock.instant());
    DiagnosisKeyBatch sameId =
        Signatures.sign(
            b.toBuilder().clearKeys().addAllKeys(later.keys(2, 2)).build(),
            f.credentials("FR").signing());
    refused(
        Status.Code.ALREADY_EXISTS,
        "R8.22: batch id already used by origin FR for other content",
        () -> fr.publishBatch(push(sameId)));
    DiagnosisKeyBatch sameSequence =
        Signatures.sign(later.batch("FR", 1, later.keys(2, 2)), f.credentials("FR").signing());
    refused(
        Status.Code.ALREADY_EXISTS,
        "R8.23: sequence 1 of origin FR is already used by another batch",
        () -> fr.publishBatch(push(sameSequence)));
    assertEquals(1, (long) de.store().read(tx -> tx.batches().recordCount()));
  }

  @Test
  void r21_6_R21_9_pastTheSunsetExchangeStopsForeignDataIsErasedAndOwnBatchesStay()
      throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    LocalDate sunset = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
    AgreementTerms t = f.pki().terms();
    f.pki()
        .setTerms(
            new AgreementTerms(
                t.federation(),
                t.version(),
                t.retentionDays(),
                sunset,
                t.members(),
                t.healthAuthorities()));
    Node de = f.startNode("DE");
    Node frNode = f.startNode("FR");
    f.follow("DE", "FR");
    TestBatches batches = new TestBatches(23, clock.instant());
    f.upload("FR", batches.keys(3, 3));
    frNode.publishDue(true);
    f.await(
        WAIT,
        () -> de.store().read(tx -> tx.batches().ofOrigin("FR")).size() == 1,
        "DE holds FR's batch");
    f.await(
        WAIT,
        () ->
            de.store()
                .read(
                    tx ->
                        tx.cursors()
                            .get(OperatorIdentity.parse("FR/op-fr"), PeerCursor.Direction.PULL))
                .isPresent(),
        "DE stored its cursor of FR");
    f.upload("DE", batches.keys(4, 3));
    de.publishDue(true);
    byte[] own = de.store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload();
    DiagnosisKeyBatch ownBatch = TestBatches.parse(own);
    FederationGrpc.FederationBlockingStub caller = f.federation("DE", "FR");
    final CompletableFuture<Status> streamEnd =
        subscribe(f.channel("DE", f.credentials("FR").tls()));

    clock.set(sunset.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1));
    assertEquals(ownBatch, caller.getBatch(get(ownBatch)).getBatch(), "the last second");
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(f.channel("DE", f.credentials("FR").tls()));
    HealthCheckRequest exchange =
        HealthCheckRequest.newBuilder().setService(FederationGrpc.SERVICE_NAME).build();
    assertEquals(ServingStatus.SERVING, health.check(exchange).getStatus());

    clock.advance(Duration.ofSeconds(1)); // the sunset instant
    String closed = "R21.6: the federation agreement ended on " + sunset + "; exchange is closed";
    DiagnosisKeyBatch another =
        Signatures.sign(batches.batch("FR", 9, batches.keys(2, 2)), f.credentials("FR").signing());
    refused(Status.Code.FAILED_PRECONDITION, closed, () -> caller.publishBatch(push(another)));
    refused(
        Status.Code.FAILED_PRECONDITION,
        closed,
        () -> caller.pullBatches(PullBatchesRequest.getDefaultInstance()));
    refused(Status.Code.FAILED_PRECONDITION, closed, () -> caller.getBatch(get(ownBatch)));
    refused(
        Status.Code.FAILED_PRECONDITION,
        closed,
        () ->
            caller
                .subscribeBatches(SubscribeBatchesRequest.getDefaultInstance())
                .forEachRemaining(r -> {}));
    var upload =
        UploadGrpc.newBlockingStub(f.channel("DE", f.credentials("DE").tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    refused(
        Status.Code.FAILED_PRECONDITION,
        closed,
        () -> upload.uploadDiagnosisKeys(f.authorizedUpload("DE", batches.keys(1, 1))));
    var info = caller.getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    assertEquals(sunset.toString(), info.getSunsetDate(), "R7.8: GetNodeInfo still answers");

    de.housekeeping();
    assertEquals(
        ServingStatus.NOT_SERVING,
        health.check(exchange).getStatus(),
        "peers' channels to a set of replicas leave a replica past the sunset out");
    assertEquals(
        ServingStatus.SERVING,
        health.check(HealthCheckRequest.getDefaultInstance()).getStatus(),
        "the server still answers (the log, GetNodeInfo): a liveness probe must not restart it");

    Status end = streamEnd.get(20, TimeUnit.SECONDS);
    assertEquals(Status.Code.FAILED_PRECONDITION, end.getCode(), end.toString());
    assertEquals(
        "R21.7: the federation agreement ended; exchange is closed",
        end.getDescription(),
        "R21.7: an open stream ends at the sunset");
    assertEquals(
        List.of(), de.store().read(tx -> tx.batches().ofOrigin("FR")), "foreign batches erased");
    assertTrue(
        de.store()
            .read(
                tx ->
                    tx.cursors().get(OperatorIdentity.parse("FR/op-fr"), PeerCursor.Direction.PULL))
            .isEmpty(),
        "sync progress erased");
    assertEquals(
        1,
        (long) de.store().read(tx -> tx.batches().recordCount()),
        "foreign seen-batch records erased");
    assertEquals(
        1, de.store().read(tx -> tx.batches().ofOrigin("DE")).size(), "the node's own batch stays");
    assertArrayEquals(own, de.store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
  }

  /** Opens a subscription whose first message has arrived; completes with the stream's end. */
  private static CompletableFuture<Status> subscribe(io.grpc.ManagedChannel channel)
      throws Exception {
    CompletableFuture<Boolean> open = new CompletableFuture<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    FederationGrpc.newStub(channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .subscribeBatches(
            SubscribeBatchesRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(SubscribeBatchesResponse r) {
                open.complete(true);
              }

              @Override
              public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    open.get(20, TimeUnit.SECONDS);
    return end;
  }
}
