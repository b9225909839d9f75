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
import java.util.List;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetInclusionProofResponse;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TransparencyLog RPCs: rules R13.15 to R13.27, draining, identity and store failures. */
class TransparencyLogServiceTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private final Lifecycle lifecycle = new Lifecycle(LocalDate.MAX, Clock.systemUTC(), false);
  private InProcessLogServer server;
  private TransparencyLogGrpc.TransparencyLogBlockingStub stub;

  @BeforeEach
  void start() {
    logs = new TestLogs(tmp, "DE", "FR");
    de = logs.log("DE");
    for (int i = 0; i < 11; i++) {
      logs.record(de, Event.BATCH_SENT, batch("b" + i), "DE", "FR/op-fr", 100 + i, "");
    }
    server =
        new InProcessLogServer(logs.identity("FR"), lifecycle, new TransparencyLogService(de, 1));
    stub = TransparencyLogGrpc.newBlockingStub(server.channel());
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    logs.close();
  }

  private Checkpoint checkpoint() {
    return stub.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint();
  }

  private List<LogEntry> entries(long start, long end) {
    return stub.getEntries(GetEntriesRequest.newBuilder().setStart(start).setEnd(end).build())
        .getEntriesList();
  }

  @Test
  void r13_15_checkpointCoversEveryEntryAppendedBeforeTheCall() {
    assertEquals(11, checkpoint().getTreeSize());
    logs.record(de, Event.BATCH_CREATED, batch("new"), "DE", "", 1, "");
    assertEquals(12, checkpoint().getTreeSize());
  }

  @Test
  void r13_17_refusesAnEmptyRangeOfEntries() throws Exception {
    checkpoint();
    StatusRuntimeException e =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "R13.17: end must be greater than start",
            () -> entries(4, 4));
    assertEquals(List.of("end: R13.17: must be greater than start"), violations(e));
  }

  @Test
  void r13_18_refusesEntriesBeyondTheCheckpoint() throws Exception {
    StatusRuntimeException e =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "R13.18: end must be at most 0, the latest checkpoint's size (GetCheckpoint first)",
            () -> entries(0, 1));
    assertEquals(
        List.of(
            "end: R13.18: must be at most 0, the latest checkpoint's size (GetCheckpoint first)"),
        violations(e));
    checkpoint();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.18: end must be at most 11, the latest checkpoint's size (GetCheckpoint first)",
        () -> entries(10, 12));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.18: end must be at most 11, the latest checkpoint's size (GetCheckpoint first)",
        () -> entries(0, -1));
  }

  @Test
  void r13_19_returnsEntriesInOrderFromStart() {
    checkpoint();
    List<LogEntry> got = entries(3, 11);
    assertEquals(8, got.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(3 + i, got.get(i).getLeafIndex());
      assertEquals(ByteString.copyFrom(batch("b" + (3 + i))), got.get(i).getSubjectSha256());
    }
  }

  @Test
  void r13_21_refusesAnInclusionProofOfATreeTheLogDidNotSign() {
    checkpoint();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.21: tree_size must be 1..11, the latest checkpoint's size (GetCheckpoint first)",
        () -> inclusion(0, 0));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.21: tree_size must be 1..11, the latest checkpoint's size (GetCheckpoint first)",
        () -> inclusion(0, 12));
  }

  @Test
  void r13_22_refusesALeafOutsideTheTree() throws Exception {
    checkpoint();
    StatusRuntimeException e =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "R13.22: leaf_index must be less than tree_size",
            () -> inclusion(5, 5));
    assertEquals(List.of("leaf_index: R13.22: must be less than tree_size"), violations(e));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.22: leaf_index must be less than tree_size",
        () -> inclusion(-1, 5));
  }

  @Test
  void r13_23_answersTheAuditPath() throws Exception {
    Checkpoint cp = checkpoint();
    for (long size = 1; size <= 11; size++) {
      for (long i = 0; i < size; i++) {
        GetInclusionProofResponse r = inclusion(i, size);
        assertEquals(i, r.getLeafIndex());
        assertEquals(size, r.getTreeSize());
        byte[] root =
            size == 11
                ? cp.getRootHash().toByteArray()
                : MerkleVerifier.rootFromInclusion(
                    LogEntries.leafHash(entries(i, i + 1).get(0)), i, size, paths(r));
        MerkleVerifier.verifyInclusion(
            LogEntries.leafHash(entries(i, i + 1).get(0)), i, size, paths(r), root);
      }
    }
  }

  @Test
  void r13_24_to_26_refuseConsistencyProofsOutsideTheSignedTrees() throws Exception {
    checkpoint();
    StatusRuntimeException e =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "R13.24: first_tree_size must be at least 1",
            () -> consistency(0, 5));
    assertEquals(List.of("first_tree_size: R13.24: must be at least 1"), violations(e));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.25: first_tree_size must be at most second_tree_size",
        () -> consistency(6, 5));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "R13.26: second_tree_size must be at most 11, the latest checkpoint's size"
            + " (GetCheckpoint first)",
        () -> consistency(5, 12));
  }

  @Test
  void r13_27_answersTheConsistencyProof() throws Exception {
    Checkpoint first = checkpoint();
    logs.record(de, Event.BATCH_CREATED, batch("more"), "DE", "", 1, "");
    Checkpoint second = checkpoint();
    MerkleVerifier.verifyConsistency(
        11,
        12,
        first.getRootHash().toByteArray(),
        second.getRootHash().toByteArray(),
        consistency(11, 12));
    assertEquals(List.of(), consistency(12, 12));
  }

  @Test
  void r21_2_refusesCallsWhileDraining() {
    lifecycle.drain();
    assertStatus(
        Status.Code.UNAVAILABLE,
        "R21.2: the node is shutting down; retry with backoff",
        this::checkpoint);
  }

  @Test
  void r6_6_refusesACallWithoutIdentity() throws InterruptedException {
    try (InProcessLogServer anonymous =
        new InProcessLogServer(null, lifecycle, new TransparencyLogService(de, 1))) {
      assertStatus(
          Status.Code.UNAUTHENTICATED,
          "R6.6: the call has no authenticated identity",
          () ->
              TransparencyLogGrpc.newBlockingStub(anonymous.channel())
                  .getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
    }
  }

  @Test
  void aLogThatFailsItsIntegrityCheckAnswersInternal() throws Exception {
    checkpoint();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + logs.file("DE"));
        java.sql.Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM log_entry WHERE leaf_index = 10");
    }
    assertStatus(
        Status.Code.INTERNAL, "the node's log failed its integrity check", this::checkpoint);
  }

  private GetInclusionProofResponse inclusion(long index, long size) {
    return stub.getInclusionProof(
        GetInclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(size).build());
  }

  private List<byte[]> consistency(long first, long second) {
    return stub
        .getConsistencyProof(
            GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(first)
                .setSecondTreeSize(second)
                .build())
        .getProofList()
        .stream()
        .map(ByteString::toByteArray)
        .toList();
  }

  private static List<byte[]> paths(GetInclusionProofResponse r) {
    return r.getAuditPathList().stream().map(ByteString::toByteArray).toList();
  }
}
