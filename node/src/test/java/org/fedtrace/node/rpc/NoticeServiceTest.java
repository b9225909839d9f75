package org.fedtrace.node.rpc;

import static org.fedtrace.node.rpc.StatusAssertions.assertStatus;
import static org.fedtrace.node.rpc.StatusAssertions.violations;
import static org.fedtrace.testing.TestLogs.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.crypto.Digest;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.KeyDestination;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsResponse;
import org.fedtrace.store.NoticeUpload;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notice query: rules R14.1 to R14.6, and an answer a device can verify. */
class NoticeServiceTest {
  private static final byte[] SECRET = Sha256.hash("device secret".getBytes());
  private static final byte[] WAITING = Sha256.hash("keys not batched yet".getBytes());

  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private final Map<ByteString, NoticeUpload> uploads = new HashMap<>();
  private final NoticeService.Directory directory =
      c -> Optional.ofNullable(uploads.get(ByteString.copyFrom(c)));

  @BeforeEach
  void start() {
    logs = new TestLogs(tmp, "DE", "FR", "IT");
    de = logs.log("DE");
    uploads.put(
        ByteString.copyFrom(Sha256.hash(SECRET)),
        new NoticeUpload(List.of(Digest.of(batch("b1")), Digest.of(batch("b2")))));
    uploads.put(ByteString.copyFrom(Sha256.hash(WAITING)), new NoticeUpload(List.of()));
    logs.record(de, Event.UPLOAD_AUTHORIZED, batch("authorization"), "DE", "", 3, "");
    logs.record(de, Event.BATCH_CREATED, batch("b1"), "DE", "", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("b1"), "DE", "FR/op-fr", 100, "");
    logs.record(de, Event.BATCH_CREATED, batch("other"), "DE", "", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("other"), "DE", "IT/op-it", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("b1"), "DE", "FR/op-fr", 100, "");
    logs.record(de, Event.BATCH_CREATED, batch("b2"), "DE", "", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("b2"), "DE", "IT/op-it", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("b1"), "DE", "IT/op-it", 100, "");
  }

  @AfterEach
  void stop() {
    logs.close();
  }

  private QueryKeyDestinationsResponse query(OperatorIdentity caller, byte[] secret)
      throws InterruptedException {
    try (InProcessLogServer server =
        new InProcessLogServer(
            caller, serving(), new NoticeService(logs.identity("DE"), de, directory))) {
      return NoticeGrpc.newBlockingStub(server.channel())
          .queryKeyDestinations(
              QueryKeyDestinationsRequest.newBuilder()
                  .setNoticeSecret(ByteString.copyFrom(secret))
                  .build());
    }
  }

  @Test
  void answersEveryPeerThatReceivedABatchOfTheUploadWithProofs() throws Exception {
    QueryKeyDestinationsResponse r = query(logs.identity("DE"), SECRET);
    VerifyingKey key =
        VerifyingKey.fromPublicKey(logs.credentials("DE").signing().certificate().getPublicKey());
    Checkpoints.verify(r.getCheckpoint(), key);
    assertEquals(9, r.getCheckpoint().getTreeSize());
    assertEquals(
        List.of("FR/op-fr@2", "IT/op-it@7", "IT/op-it@8"),
        r.getDestinationsList().stream()
            .map(d -> d.getPeer() + "@" + d.getEntry().getLeafIndex())
            .toList());
    for (KeyDestination d : r.getDestinationsList()) {
      assertEquals(d.getPeer(), d.getEntry().getPeer());
      MerkleVerifier.verifyInclusion(
          LogEntries.leafHash(d.getEntry()),
          d.getEntry().getLeafIndex(),
          r.getCheckpoint().getTreeSize(),
          d.getAuditPathList().stream().map(ByteString::toByteArray).toList(),
          r.getCheckpoint().getRootHash().toByteArray());
    }
  }

  @Test
  void anUploadWhoseKeysWaitForABatchHasNoDestinationsYet() throws Exception {
    QueryKeyDestinationsResponse r = query(logs.identity("DE"), WAITING);
    assertEquals(List.of(), r.getDestinationsList());
    assertEquals(9, r.getCheckpoint().getTreeSize());
  }

  @Test
  void r14_1_refusesACallerOfAnotherCountry() {
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R14.1: notice queries are answered only to this node's own country DE",
        () -> query(logs.identity("FR"), SECRET));
  }

  @Test
  void r26_14_refusesAnotherMemberOfTheNodesCountry() {
    // DE/op-de-north is of the node's country but is not the node: its uploads are its own
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R26.14: notice queries are answered only to this member's own backend DE/op-de",
        () -> query(new OperatorIdentity("DE", "op-de-north"), SECRET));
  }

  @Test
  void r14_2_refusesASecretThatIsNot32Bytes() throws Exception {
    StatusRuntimeException e =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "R14.2: notice_secret must be 32 bytes",
            () -> query(logs.identity("DE"), new byte[31]));
    assertEquals(List.of("notice_secret: R14.2: must be 32 bytes"), violations(e));
  }

  @Test
  void r14_3_refusesAQueryWithoutProofOfPossession() {
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R14.3: the node holds no upload with this secret's commitment",
        () -> query(logs.identity("DE"), Sha256.hash("a guess".getBytes())));
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "R14.3: the node holds no upload with this secret's commitment",
        () -> query(logs.identity("DE"), Sha256.hash(SECRET)));
  }

  @Test
  void theQueryIsNotLogged() throws Exception {
    long before = de.checkpoint().getTreeSize();
    query(logs.identity("DE"), SECRET);
    assertEquals(before, de.checkpoint().getTreeSize());
  }

  private static Lifecycle serving() {
    Lifecycle l = new Lifecycle(LocalDate.MAX, Clock.systemUTC(), false);
    l.serve();
    return l;
  }
}
