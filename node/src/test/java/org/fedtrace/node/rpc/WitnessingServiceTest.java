package org.fedtrace.node.rpc;

import static org.fedtrace.node.rpc.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.WitnessingGrpc;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AddCosignature and the cosigned checkpoints GetCheckpoint serves (R17.8 to R17.12): FR, a witness
 * of DE, hands DE's log cosignatures; every refusal with its status and message.
 */
class WitnessingServiceTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private final Lifecycle lifecycle = new Lifecycle(LocalDate.MAX, Clock.systemUTC(), false);
  private InProcessLogServer server;
  private WitnessingGrpc.WitnessingBlockingStub witnessing;
  private TransparencyLogGrpc.TransparencyLogBlockingStub log;

  @BeforeEach
  void start() {
    logs = new TestLogs(tmp, "DE", "FR", "IT");
    de = logs.log("DE");
    logs.record(de, Event.BATCH_CREATED, TestLogs.batch("a"), "DE", "", 100, "");
    server =
        new InProcessLogServer(
            logs.identity("FR"),
            lifecycle,
            new TransparencyLogService(de, 2),
            new WitnessingService(de.cosigned(), logs.pki.validator(), logs.clock));
    witnessing = WitnessingGrpc.newBlockingStub(server.channel());
    log = TransparencyLogGrpc.newBlockingStub(server.channel());
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    logs.close();
  }

  private GetCheckpointResponse served() {
    return log.getCheckpoint(GetCheckpointRequest.getDefaultInstance());
  }

  private Cosignature cosign(Checkpoint c, String country) throws Exception {
    return Cosignatures.sign(
        c,
        logs.identity(country),
        logs.clock.instant().getEpochSecond(),
        SigningKey.fromPrivateKey(logs.credentials(country).signing().privateKey()),
        logs.credentials(country).signing().certificate().getEncoded());
  }

  private void add(Checkpoint c, Cosignature cos) {
    witnessing.addCosignature(
        AddCosignatureRequest.newBuilder().setCheckpoint(c).setCosignature(cos).build());
  }

  @Test
  void r17_11_servesTheCandidateWithTheCosignaturesItCollected() throws Exception {
    GetCheckpointResponse first = served();
    assertEquals(1, first.getCosignedCount());
    Checkpoint c = first.getCosigned(0).getCheckpoint();
    assertEquals(first.getCheckpoint(), c);
    add(c, cosign(c, "FR"));
    Cosignature again = cosign(c, "FR");
    add(c, again); // a witness's later cosignature replaces its earlier one
    CosignedCheckpoint served = served().getCosigned(0);
    assertEquals(c, served.getCheckpoint());
    assertEquals(java.util.List.of(again), served.getCosignaturesList());
  }

  @Test
  void r17_8_refusesACheckpointTheLogDoesNotCollect() throws Exception {
    Checkpoint c = served().getCosigned(0).getCheckpoint();
    Checkpoint other = c.toBuilder().setTimeUnixMillis(c.getTimeUnixMillis() + 1).build();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R17.8: checkpoint is not one this log collects cosignatures for (tree size 1); fetch"
            + " GetCheckpoint again",
        () -> add(other, cosign(other, "FR")));
  }

  @Test
  void r17_9_refusesACosignatureThatDoesNotVerify() throws Exception {
    Checkpoint c = served().getCosigned(0).getCheckpoint();
    Cosignature cos = cosign(c, "FR");
    Cosignature bad = cos.toBuilder().setTimeUnixSeconds(cos.getTimeUnixSeconds() + 1).build();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R17.9: cosignature.signature does not verify as a cosignature/v1 of the checkpoint"
            + " under the witness's key",
        () -> add(c, bad));
    assertEquals(0, served().getCosigned(0).getCosignaturesCount());
  }

  @Test
  void r17_10_refusesACosignatureOfAnotherWitnessThanTheCaller() throws Exception {
    Checkpoint c = served().getCosigned(0).getCheckpoint();
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R17.10: cosignature.witness must be the caller, FR/op-fr, not 'IT/op-it'",
        () -> add(c, cosign(c, "IT")));
    Cosignature itsCertificate =
        cosign(c, "FR").toBuilder()
            .setWitnessCertificate(
                com.google.protobuf.ByteString.copyFrom(
                    logs.credentials("IT").signing().certificate().getEncoded()))
            .build();
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R17.10: cosignature.witness_certificate names IT/op-it, not the caller",
        () -> add(c, itsCertificate));
  }
}
