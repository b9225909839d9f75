package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedtrace_peer_last_sync_timestamp_seconds}, what the PeerSyncStalled alert of
 * deploy/prometheus/alerts.yaml reads: it moves with every sign that the exchange with a peer
 * works, stands still when the peer falls silent, and disappears when the node stops following the
 * peer. When it fails, check where PeerSync and PeerPush call {@code NodeMetrics.peerSynced}.
 */
class PeerSyncMetricsTest {
  private static final String METRIC = "fedtrace_peer_last_sync_timestamp_seconds";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atSystemTime();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aSubscriptionsHeartbeatsMoveItAndASilentPeerLeavesItBehind() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR").withConfig("sync:\n  heartbeatSeconds: 1\n");
    Node de = f.startNode("DE");
    f.startNode("FR");
    Instant began = clock.instant();
    f.follow("DE", "FR");
    assertEquals(
        began.getEpochSecond(), de.metrics().peerLastSync("FR/op-fr", "pull"), "following began");

    clock.advance(Duration.ofSeconds(100));
    awaitValue(
        () -> de.metrics().peerLastSync("FR/op-fr", "pull"),
        began.getEpochSecond() + 100,
        "a heartbeat of FR's stream");

    f.stopNode("FR");
    clock.advance(Duration.ofSeconds(300));
    Thread.sleep(2_500); // more than two heartbeat periods: none arrives from a stopped peer
    assertEquals(
        began.getEpochSecond() + 100,
        de.metrics().peerLastSync("FR/op-fr", "pull"),
        "a silent peer's last sync stays behind, so its age grows");

    de.unfollowAll();
    assertTrue(peersShown(de).isEmpty(), "a peer no longer followed does not look stalled");
  }

  @Test
  void aPushAcknowledgedMovesIt() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    Node de = f.startNode("DE");
    Node fr = f.startNode("FR");
    f.push("DE", "FR");
    clock.advance(Duration.ofSeconds(60));
    Instant pushed = clock.instant();
    f.upload("DE", new TestBatches(7, pushed).keys(2, 2));
    de.publishDue(true);
    f.await(
        WAIT,
        () -> fr.store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1,
        "FR holds DE's batch");
    awaitValue(
        () -> de.metrics().peerLastSync("FR/op-fr", "push"),
        pushed.getEpochSecond(),
        "FR acknowledged the push");
    assertEquals(Set.of("FR/op-fr push"), peersShown(de));
  }

  private static Set<String> peersShown(Node node) {
    return node.metrics().registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals(METRIC))
        .flatMap(s -> s.getDataPoints().stream())
        .map(d -> d.getLabels().get("peer") + " " + d.getLabels().get("direction"))
        .collect(Collectors.toSet());
  }

  private static void awaitValue(DoubleSupplier value, double expected, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (value.getAsDouble() != expected) {
      if (System.nanoTime() > deadline) {
        assertEquals(expected, value.getAsDouble(), "timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
