package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R8.36: only the node creates batches of its own origin, so a batch of its origin signed elsewhere
 * with its key (a {@code publish --generate} with its credential, at a sequence taken from the
 * clock, or at 2^63-1) can neither jam nor overflow its numbering.
 */
class OwnSequenceTest {
  @TempDir Path dir;

  @Test
  void aPushedBatchOfTheNodesOwnOriginIsRefusedAndNumberingGoesOn() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE", "FR").withoutBackgroundWork();
    try {
      f.startNode("DE");
      TestBatches batches = new TestBatches(31, clock.instant());
      for (long sequence : List.of(clock.millis(), Long.MAX_VALUE)) {
        DiagnosisKeyBatch foreign =
            Signatures.sign(
                batches.batch("DE", sequence, batches.keys(2, 2)), f.credentials("DE").signing());
        PublishBatchRequest r = PublishBatchRequest.newBuilder().setBatch(foreign).build();
        refused(
            Status.Code.PERMISSION_DENIED,
            "R8.36: batches of origin DE are created by this node only",
            () -> f.federation("DE", "FR").publishBatch(r));
        refused(
            Status.Code.PERMISSION_DENIED,
            "R8.37: a node takes no batch from its own identity; its keys enter by upload",
            () -> f.federation("DE", "DE").publishBatch(r));
      }
      f.upload("DE", batches.keys(2, 3));
      assertEquals(1, f.node("DE").publishDue(true));
      f.upload("DE", batches.keys(2, 4));
      assertEquals(1, f.node("DE").publishDue(true));
      List<Long> sequences =
          f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).stream()
              .map(b -> TestBatches.parse(b.payload()).getSequence())
              .toList();
      assertEquals(List.of(1L, 2L), sequences, "R8.27: the node numbers its batches 1, 2");
      // its own batch pushed back to it by a peer is held: a duplicate, as R8.21 says
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      assertTrue(
          f.federation("DE", "FR")
              .publishBatch(PublishBatchRequest.newBuilder().setBatch(own).build())
              .getDuplicate());
    } finally {
      f.close();
    }
  }
}
