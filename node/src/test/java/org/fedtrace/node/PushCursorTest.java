package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push cursor in a node that does not forward (a full mesh): batches it received are never
 * pushed on, do not wake its push tasks and leave no cursor commit behind; what it pushed is stored
 * with each acknowledged batch, so a restart neither loses a batch nor pushes one twice.
 */
class PushCursorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static Optional<Long> pushCursor(Node node, OperatorIdentity peer) {
    return node.store()
        .read(tx -> tx.cursors().get(peer, PeerCursor.Direction.PUSH))
        .map(PeerCursor::position);
  }

  private static int batchesOf(Node node, String origin) {
    return node.store().read(tx -> tx.batches().ofOrigin(origin)).size();
  }

  @Test
  void receivedBatchesLeaveThePushAloneAndARestartResumesWithoutLossOrRepeat() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f =
        TestFederation.create(dir, clock, "DE", "FR", "BE")
            .withConfig("federation:\n  forward: false\n")) {
      for (String c : new String[] {"DE", "FR", "BE"}) {
        f.startNode(c);
      }
      final OperatorIdentity be = f.credentials("BE").identity();
      f.push("DE", "BE");
      // FR's batches reach DE, which does not forward: nothing for DE's push to BE
      TestBatches t = new TestBatches(11, clock.instant());
      for (int i = 1; i <= 5; i++) {
        DiagnosisKeyBatch b =
            Signatures.sign(t.batch("FR", i, t.keys(1, 1)), f.credentials("FR").signing());
        f.federation("DE", "FR").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
      }
      assertEquals(5, batchesOf(f.node("DE"), "FR"));
      // stopping runs every push task already woken; none was, so none stored a cursor
      f.stopNode("DE");
      f.startNode("DE");
      assertEquals(Optional.empty(), pushCursor(f.node("DE"), be));

      f.push("DE", "BE");
      f.upload("DE", t.keys(3, 3));
      f.node("DE").publishDue(true);
      f.await(WAIT, () -> batchesOf(f.node("BE"), "DE") == 1, "BE holds DE's batch");
      StoredBatch first = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0);
      // the cursor is stored with the acknowledged batch, past the FR batches skipped before it
      f.await(
          WAIT,
          () -> pushCursor(f.node("DE"), be).equals(Optional.of(first.position())),
          "DE stored its push cursor at its batch");
      assertEquals(0, batchesOf(f.node("BE"), "FR"), "a node that does not forward sent FR's");

      f.stopNode("DE");
      f.startNode("DE");
      f.push("DE", "BE");
      f.upload("DE", t.keys(2, 2));
      f.node("DE").publishDue(true);
      f.await(WAIT, () -> batchesOf(f.node("BE"), "DE") == 2, "BE holds both of DE's batches");
      StoredBatch second = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(1);
      // BE counts a batch after storing it and before acknowledging it: once DE has stored its
      // cursor at the second batch, BE's counts below are final
      f.await(
          WAIT,
          () -> pushCursor(f.node("DE"), be).equals(Optional.of(second.position())),
          "DE stored its push cursor at its second batch");
      OperatorIdentity de = f.credentials("DE").identity();
      assertEquals(
          0.0,
          f.node("BE").metrics().batchCount(de.toString(), "in", "duplicate", ""),
          "the restarted push did not send the acknowledged batch again");
      assertEquals(2.0, f.node("BE").metrics().batchCount(de.toString(), "in", "accepted", ""));
      assertEquals(0, batchesOf(f.node("BE"), "FR"));
    }
  }
}
