package org.fedtrace.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R10.12: a peer that lost its store refuses the cursors it issued before (R10.1); its follower
 * resyncs from the empty cursor instead of retrying the refused cursor forever, and so gets what
 * the peer holds from then on.
 */
class PeerStoreLostTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(91, clock.instant());
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  @Test
  void aFollowerResyncsFromTheStartWhenThePeerRefusesItsCursor() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR", "BE");
    f.startNode("DE");
    f.startNode("FR");
    f.follow("FR", "DE");
    f.upload("DE", batches.keys(2, 2));
    f.node("DE").publishDue(true);
    OperatorIdentity de = f.credentials("DE").identity();
    f.await(
        WAIT,
        () ->
            f.node("FR")
                .store()
                .read(tx -> tx.cursors().get(de, PeerCursor.Direction.PULL))
                .isPresent(),
        "FR holds a cursor of DE");
    f.stopNode("FR");
    f.stopNode("DE");
    try (Stream<Path> files = Files.walk(f.dir("DE").resolve("data"))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p); // DE's store is lost; it starts anew
      }
    }
    f.startNode("DE");
    f.federation("DE", "BE")
        .publishBatch(
            PublishBatchRequest.newBuilder()
                .setBatch(
                    Signatures.sign(
                        batches.batch("BE", 1, batches.keys(2, 2)), f.credentials("BE").signing()))
                .build());
    f.startNode("FR");
    f.follow("FR", "DE");
    f.await(
        WAIT,
        () -> !f.node("FR").store().read(tx -> tx.batches().ofOrigin("BE")).isEmpty(),
        "R10.12: FR resynced from DE and holds the batch DE stored after its restart");
  }
}
