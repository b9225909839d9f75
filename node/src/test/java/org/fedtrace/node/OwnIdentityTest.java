package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R8.37 and R9.12: a node is not its own peer. It refuses PublishBatch from its own identity, and
 * serves its backend (its own identity) without logging a delivery, so its log never names itself
 * as the peer and its own audit passes.
 */
class OwnIdentityTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(61, clock.instant());
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  private DiagnosisKeyBatch frBatch(long sequence) {
    return Signatures.sign(
        batches.batch("FR", sequence, batches.keys(2, 2)), f.credentials("FR").signing());
  }

  @Test
  void theNodeTakesNoBatchFromItselfAndLogsNoDeliveryToItself() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    FederationGrpc.FederationBlockingStub self = f.federation("DE", "DE");
    f.federation("DE", "FR")
        .publishBatch(PublishBatchRequest.newBuilder().setBatch(frBatch(1)).build());

    PublishBatchRequest fromItself = PublishBatchRequest.newBuilder().setBatch(frBatch(2)).build();
    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.37: a node takes no batch from its own identity; its keys enter by upload",
        () -> self.publishBatch(fromItself));
    assertEquals(
        1,
        self.pullBatches(PullBatchesRequest.getDefaultInstance()).getBatchesCount(),
        "its backend pulls what it holds");

    GrpcLogClient log =
        new GrpcLogClient(f.channel("DE", f.credentials("FR").tls()), Duration.ofSeconds(10));
    List<LogEntry> entries = log.entries(0, log.checkpoint().getTreeSize());
    assertFalse(entries.isEmpty());
    assertEquals(
        List.of(),
        entries.stream().filter(e -> e.getPeer().equals("DE/op-de")).toList(),
        "R9.12: no entry names the node itself");
    AuditReport report =
        new Auditor(f.pki().validator(), clock, new Random(7))
            .audit(
                f.credentials("DE").identity(),
                log,
                AuditState.empty(),
                1000,
                p -> Optional.empty());
    assertEquals(List.of(), report.texts(AuditReport.Kind.FAILED));
  }
}
