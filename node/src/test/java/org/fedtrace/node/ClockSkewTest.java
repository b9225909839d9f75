package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R20.11: R1.1 lets two nodes be 600 s apart while R8.7 tolerates 300 s, so a receiver may refuse a
 * fresh batch as created in the future. Such a refusal is transient: the batch arrives once the
 * receiver's clock has caught up, whether it pulls or is pushed to.
 */
class ClockSkewTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SYNC = "sync:\n  retryInitialMillis: 50\n  retryMaxMillis: 200\n";

  @TempDir Path dir;
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  /** DE's clock runs 290 s ahead of UTC, FR's 290 s behind: both within R1.1. */
  private MutableClock skewed() throws Exception {
    Instant now = Instant.now();
    MutableClock fr = new MutableClock(now.minusSeconds(290));
    f =
        TestFederation.create(dir, MutableClock.atSystemTime(), "DE", "FR")
            .withClock("DE", new MutableClock(now.plusSeconds(290)))
            .withClock("FR", fr)
            .withConfig(SYNC);
    f.startNode("DE");
    f.startNode("FR");
    return fr;
  }

  private void publishAtDe() throws Exception {
    f.upload("DE", new TestBatches(41, Instant.now().minus(Duration.ofDays(1))).keys(2, 2));
    assertEquals(1, f.node("DE").publishDue(true));
  }

  private void refusedThenDelivered(MutableClock fr) throws Exception {
    Node receiver = f.node("FR");
    f.await(
        WAIT,
        () -> receiver.metrics().batchCount("DE/op-de", "in", "refused", "R8.7") >= 1,
        "FR refused DE's batch as created in the future (R8.7)");
    assertEquals(0, receiver.store().read(tx -> tx.batches().ofOrigin("DE")).size());
    fr.advance(Duration.ofSeconds(580)); // the clocks agree again
    f.await(
        WAIT,
        () -> receiver.store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1,
        "R20.11: FR holds DE's batch once its clock caught up");
  }

  @Test
  void aPullerDoesNotMovePastABatchItRefusedAsCreatedInTheFuture() throws Exception {
    MutableClock fr = skewed();
    f.follow("FR", "DE");
    publishAtDe();
    refusedThenDelivered(fr);
  }

  @Test
  void aPusherRetriesABatchThePeerRefusedAsCreatedInTheFuture() throws Exception {
    MutableClock fr = skewed();
    f.push("DE", "FR");
    publishAtDe();
    refusedThenDelivered(fr);
  }
}
