package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.proto.v1.WitnessingGrpc;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor certificate profile (spec/transparency.md §15.7, R17.16, R17.17): a certificate the
 * federation authority issues to an auditor who is not a member lets it read TransparencyLog,
 * GetNodeInfo and health, and every other call is refused with PERMISSION_DENIED and a message
 * naming what it may call.
 */
class AuditorAccessTest {
  @TempDir Path dir;

  private TestFederation f;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR");
    f.startNode("DE");
    Instant now = Instant.now();
    Credential auditor =
        f.pki()
            .authority()
            .issueAuditor(
                new OperatorIdentity("DE", "dpa-audit"),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)));
    assertTrue(CertificateValidator.isAuditor(auditor.certificate()));
    channel = f.channel("DE", auditor);
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private <S extends io.grpc.stub.AbstractStub<S>> S deadline(S stub) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private void refused(String method, Function<ManagedChannel, Object> call) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> call.apply(channel));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), method);
    assertEquals(
        "R17.16: an auditor certificate may call only TransparencyLog, GetNodeInfo and health,"
            + " not "
            + method,
        e.getStatus().getDescription());
  }

  @Test
  void r17_17_readsTheTransparencyLogWithoutBeingAMember() {
    TransparencyLogGrpc.TransparencyLogBlockingStub log =
        deadline(TransparencyLogGrpc.newBlockingStub(channel));
    long size =
        log.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint().getTreeSize();
    assertTrue(size >= 0);
    assertEquals(
        "DE",
        deadline(FederationGrpc.newBlockingStub(channel))
            .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())
            .getNode()
            .getCountry());
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        deadline(HealthGrpc.newBlockingStub(channel))
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                deadline(TransparencyLogGrpc.newBlockingStub(channel))
                    .getEntries(GetEntriesRequest.newBuilder().setStart(0).setEnd(0).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), "the log's own checks");
  }

  @Test
  void r17_16_everyOtherServiceRefusesAnAuditor() {
    refused(
        "fedtrace.v1.Federation/PublishBatch",
        ch ->
            deadline(FederationGrpc.newBlockingStub(ch))
                .publishBatch(PublishBatchRequest.getDefaultInstance()));
    refused(
        "fedtrace.v1.Federation/PullBatches",
        ch ->
            deadline(FederationGrpc.newBlockingStub(ch))
                .pullBatches(PullBatchesRequest.getDefaultInstance()));
    refused(
        "fedtrace.v1.Federation/GetBatch",
        ch ->
            deadline(FederationGrpc.newBlockingStub(ch))
                .getBatch(GetBatchRequest.getDefaultInstance()));
    refused(
        "fedtrace.v1.Upload/UploadDiagnosisKeys",
        ch ->
            deadline(UploadGrpc.newBlockingStub(ch))
                .uploadDiagnosisKeys(UploadDiagnosisKeysRequest.getDefaultInstance()));
    refused(
        "fedtrace.v1.Notice/QueryKeyDestinations",
        ch ->
            deadline(NoticeGrpc.newBlockingStub(ch))
                .queryKeyDestinations(QueryKeyDestinationsRequest.getDefaultInstance()));
    refused(
        "fedtrace.v1.Witnessing/AddCosignature",
        ch ->
            deadline(WitnessingGrpc.newBlockingStub(ch))
                .addCosignature(AddCosignatureRequest.getDefaultInstance()));
  }
}
