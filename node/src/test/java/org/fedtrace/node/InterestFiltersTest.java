package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §25.4: the interest filters of PullBatches and SubscribeBatches return exactly the batches
 * asked for. DE holds four batches: its own FEDERATE and TRAVELLER batches, and BE's (published to
 * it by BE), one of each scope; FR asks.
 */
class InterestFiltersTest {
  @TempDir Path dir;

  private TestFederation f;

  @BeforeEach
  void fourBatches() throws Exception {
    Clock clock = Clock.systemUTC();
    f = TestFederation.create(dir, clock, "BE", "DE", "FR");
    f.startNode("DE");
    TestBatches batches = new TestBatches(21, clock.instant());
    f.upload("DE", batches.keys(2, 2));
    f.upload(
        f.node("DE"),
        SharingPolicyTest.traveller(f, SharingPolicyTest.visited(batches.keys(2, 2), "FR")));
    f.node("DE").publishDue(true);
    assertEquals(2, SharingPolicyTest.held(f.node("DE"), "DE").size(), "one batch per scope");
    DiagnosisKeyBatch beFederate =
        Signatures.sign(batches.batch("BE", 1, batches.keys(3, 3)), f.credentials("BE").signing());
    DiagnosisKeyBatch beTraveller =
        Signatures.sign(
            batches.batch("BE", 2, SharingPolicyTest.visited(batches.keys(3, 3), "DE")).toBuilder()
                .setFormatVersion(2)
                .setScope(BatchScope.BATCH_SCOPE_TRAVELLER)
                .build(),
            f.credentials("BE").signing());
    for (DiagnosisKeyBatch b : List.of(beFederate, beTraveller)) {
      f.federation("DE", "BE").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
    }
  }

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  private List<String> pull(PullBatchesRequest r) throws Exception {
    PullBatchesResponse response = f.federation("DE", "FR").pullBatches(r);
    assertTrue(response.getCaughtUp());
    return response.getBatchesList().stream().map(InterestFiltersTest::name).toList();
  }

  private static String name(DiagnosisKeyBatch b) {
    return b.getOrigin() + (b.getScope() == BatchScope.BATCH_SCOPE_TRAVELLER ? "/traveller" : "");
  }

  @Test
  void pullReturnsExactlyTheFilteredBatches() throws Exception {
    assertEquals(
        List.of("DE", "DE/traveller", "BE", "BE/traveller"),
        pull(PullBatchesRequest.getDefaultInstance()));
    assertEquals(
        List.of("BE", "BE/traveller"),
        pull(PullBatchesRequest.newBuilder().addOrigins("BE").build()));
    assertEquals(
        List.of("DE/traveller", "BE/traveller"),
        pull(PullBatchesRequest.newBuilder().setTravellersOnly(true).build()));
    assertEquals(
        List.of("DE/traveller"),
        pull(PullBatchesRequest.newBuilder().addOrigins("DE").setTravellersOnly(true).build()));
    assertEquals(List.of(), pull(PullBatchesRequest.newBuilder().addOrigins("FR").build()));
  }

  @Test
  void aFilteredPullResumesPastWhatItLeftOut() throws Exception {
    PullBatchesResponse first =
        f.federation("DE", "FR")
            .pullBatches(PullBatchesRequest.newBuilder().addOrigins("DE").setMaxBatches(1).build());
    assertEquals(
        List.of("DE"), first.getBatchesList().stream().map(InterestFiltersTest::name).toList());
    PullBatchesResponse second =
        f.federation("DE", "FR")
            .pullBatches(
                PullBatchesRequest.newBuilder()
                    .addOrigins("DE")
                    .setCursor(first.getNextCursor())
                    .build());
    assertEquals(
        List.of("DE/traveller"),
        second.getBatchesList().stream().map(InterestFiltersTest::name).toList());
    assertTrue(second.getCaughtUp());
  }

  @Test
  void subscribeSendsExactlyTheFilteredBatches() throws Exception {
    FederationGrpc.FederationBlockingStub stub =
        FederationGrpc.newBlockingStub(f.channel("DE", f.credentials("FR").tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    Iterator<SubscribeBatchesResponse> stream =
        stub.subscribeBatches(
            SubscribeBatchesRequest.newBuilder().addOrigins("BE").setTravellersOnly(true).build());
    SubscribeBatchesResponse first = stream.next();
    assertEquals("BE/traveller", name(first.getBatch()));
    SubscribeBatchesResponse next = stream.next();
    assertTrue(next.getCaughtUp());
    assertTrue(!next.hasBatch(), "the backlog held one batch for this filter");
  }

  @Test
  void aMalformedOriginsFilterIsRefused() throws Exception {
    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            () ->
                f.federation("DE", "FR")
                    .pullBatches(
                        PullBatchesRequest.newBuilder().addOrigins("FR").addOrigins("BE").build()));
    assertEquals(
        List.of("origins | R25.12: must be strictly ascending; entry 1 is not"), violations(e));
    FederationGrpc.FederationBlockingStub stub =
        FederationGrpc.newBlockingStub(f.channel("DE", f.credentials("FR").tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            () ->
                stub.subscribeBatches(SubscribeBatchesRequest.newBuilder().addOrigins("de").build())
                    .next());
    assertEquals(List.of("origins | R25.12: entry 0 is not two letters A..Z"), violations(e));
  }
}
