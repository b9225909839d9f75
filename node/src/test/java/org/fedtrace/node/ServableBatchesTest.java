package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * §1.3 "servable batch": a node serves no batch that every client must refuse, neither one created
 * before the retention window (R8.8 by way of R9.9) while its keys are still within it, nor one of
 * an origin that is no longer a member (R8.13).
 */
class ServableBatchesTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atSystemTime();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  private static GetBatchRequest get(DiagnosisKeyBatch b) {
    return GetBatchRequest.newBuilder().setOrigin(b.getOrigin()).setBatchId(b.getBatchId()).build();
  }

  /** FR's batch, pushed to DE, created {@code ageSeconds} ago with keys of 1 and 2 days ago. */
  private DiagnosisKeyBatch pushedToDe(long ageSeconds) throws Exception {
    TestBatches batches = new TestBatches(51, clock.instant());
    DiagnosisKeyBatch b =
        Signatures.sign(
            batches.batch("FR", 1, batches.keys(2, 2)).toBuilder()
                .setCreatedUnixSeconds(clock.instant().getEpochSecond() - ageSeconds)
                .build(),
            f.credentials("FR").signing());
    f.federation("DE", "FR").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
    return b;
  }

  private List<DiagnosisKeyBatch> pulledByBe() throws Exception {
    PullBatchesResponse r =
        f.federation("DE", "BE").pullBatches(PullBatchesRequest.newBuilder().build());
    return r.getBatchesList();
  }

  @Test
  void aBatchCreatedBeforeTheRetentionWindowIsNoLongerServed() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR", "BE");
    f.startNode("DE");
    int retentionDays = f.pki().terms().retentionDays();
    DiagnosisKeyBatch b = pushedToDe(retentionDays * 86_400L - 3600);
    assertEquals(List.of(b), pulledByBe());
    clock.advance(Duration.ofHours(2)); // created past the window; its keys are not
    FederationGrpc.FederationBlockingStub be = f.federation("DE", "BE");
    assertEquals(List.of(), pulledByBe(), "every client would refuse it by R8.8");
    refused(Status.Code.NOT_FOUND, () -> be.getBatch(get(b)));
  }

  @Test
  void aRemovedMembersBatchesAreNoLongerServed() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR", "BE");
    f.startNode("DE");
    DiagnosisKeyBatch b = pushedToDe(60);
    assertEquals(List.of(b), pulledByBe());
    f.stopNode("DE");
    AgreementTerms t = f.pki().terms();
    f.pki()
        .setTerms(
            new AgreementTerms(
                t.federation(),
                t.version() + 1,
                t.retentionDays(),
                t.sunsetDate(),
                t.members().stream().filter(m -> !m.country().equals("FR")).toList(),
                t.healthAuthorities().stream().filter(h -> !h.country().equals("FR")).toList()));
    f.pki().agreement().replaceIn(f.dir("DE"));
    f.startNode("DE");
    assertFalse(f.node("DE").store().read(tx -> tx.batches().ofOrigin("FR")).isEmpty());
    assertEquals(List.of(), pulledByBe(), "every client would refuse it by R8.13");
    refused(Status.Code.NOT_FOUND, () -> f.federation("DE", "BE").getBatch(get(b)));
  }
}
