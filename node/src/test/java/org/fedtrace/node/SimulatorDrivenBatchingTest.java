package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With background work off (the simulator's nodes), a node publishes only when told to, so a
 * batch's keys do not depend on when a background thread happens to run.
 */
class SimulatorDrivenBatchingTest {
  @TempDir Path dir;

  @Test
  void anUploadLeavesDueKeysPendingUntilPublishDue() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    TestFederation f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork();
    try {
      Node node = f.startNode("DE");
      List<DiagnosisKey> first = new TestBatches(1, clock.instant()).keys(3, 3);
      f.upload("DE", first);
      clock.advance(Duration.ofSeconds(5)); // the first upload's keys are now due (maxAgeSeconds 1)
      List<DiagnosisKey> second = new TestBatches(2, clock.instant()).keys(2, 2);
      f.upload("DE", second);

      assertEquals(
          5,
          node.store().read(tx -> tx.uploads().pending()).size(),
          "nothing published by the uploads");
      assertEquals(1, node.publishDue(false));
      assertEquals(0, node.store().read(tx -> tx.uploads().pending()).size());
      DiagnosisKeyBatch own =
          TestBatches.parse(node.store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      List<DiagnosisKey> both = new ArrayList<>(first);
      both.addAll(second);
      assertTrue(own.getKeysList().containsAll(both), "one batch with both uploads");
      assertEquals(64, own.getKeysCount());
    } finally {
      f.close();
    }
  }
}
