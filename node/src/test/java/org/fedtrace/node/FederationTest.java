package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two and three real nodes over mutual TLS on loopback, their stores on SQLite. */
class FederationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static int keysHeld(org.fedtrace.node.Node n, String origin) {
    return n.store().read(tx -> tx.batches().ofOrigin(origin)).stream()
        .mapToInt(b -> TestBatches.parse(b.payload()).getKeysCount())
        .sum();
  }

  /** Nodes of {@code countries}, their stores on SQLite ({@link PostgresFederationTest}). */
  TestFederation federation(Clock clock, String... countries) {
    return TestFederation.create(dir, clock, countries);
  }

  @Test
  void anUploadReachesEveryNodeOfAFullMesh() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = federation(clock, "DE", "FR", "BE")) {
      for (String c : List.of("DE", "FR", "BE")) {
        f.startNode(c);
      }
      for (String a : List.of("DE", "FR", "BE")) {
        for (String b : List.of("DE", "FR", "BE")) {
          if (!a.equals(b)) {
            f.follow(a, b);
          }
        }
      }
      List<DiagnosisKey> keys = new TestBatches(7, clock.instant()).keys(14, 13);
      UploadDiagnosisKeysResponse r = f.upload("DE", keys);
      assertEquals(14, r.getAcceptedKeys());
      f.node("DE").publishDue(true);
      for (String c : List.of("FR", "BE")) {
        f.await(WAIT, () -> keysHeld(f.node(c), "DE") == 64, c + " holds DE's batch");
      }
      DiagnosisKeyBatch atFr =
          TestBatches.parse(
              f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      assertTrue(atFr.getKeysList().containsAll(keys), "FR holds every uploaded key");
      assertEquals(1, f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).size());
    }
  }

  @Test
  void aHubForwardsBetweenSpokes() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = federation(clock, "DE", "FR", "BE")) {
      for (String c : List.of("FR", "DE", "BE")) {
        f.startNode(c);
      }
      f.follow("FR", "DE");
      f.follow("FR", "BE");
      f.follow("DE", "FR");
      f.follow("BE", "FR");
      f.upload("DE", new TestBatches(3, clock.instant()).keys(5, 5));
      f.node("DE").publishDue(true);
      f.await(WAIT, () -> keysHeld(f.node("BE"), "DE") == 64, "BE holds DE's batch");
      // BE got it from the hub, not from DE: the origin's signature was checked at both hops
      assertEquals(1, f.node("BE").store().read(tx -> tx.batches().ofOrigin("DE")).size());
      assertEquals(
          "FR/op-fr",
          f.node("BE")
              .store()
              .read(tx -> tx.batches().ofOrigin("DE"))
              .get(0)
              .receivedFrom()
              .toString());
    }
  }

  @Test
  void pullLeavesOutTheCallersOwnBatches() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = federation(clock, "DE", "FR")) {
      f.startNode("DE");
      f.upload("DE", new TestBatches(3, clock.instant()).keys(3, 3));
      f.node("DE").publishDue(true);
      PullBatchesResponse fromFr =
          f.federation("DE", "FR").pullBatches(PullBatchesRequest.getDefaultInstance());
      assertEquals(1, fromFr.getBatchesCount());
      assertTrue(fromFr.getCaughtUp());
      PullBatchesResponse again =
          f.federation("DE", "FR")
              .pullBatches(
                  PullBatchesRequest.newBuilder().setCursor(fromFr.getNextCursor()).build());
      assertEquals(0, again.getBatchesCount());
      assertEquals(fromFr.getNextCursor(), again.getNextCursor());
      PullBatchesResponse fromDe =
          f.federation("DE", "DE").pullBatches(PullBatchesRequest.getDefaultInstance());
      assertEquals(0, fromDe.getBatchesCount());
      assertFalse(fromDe.getNextCursor().isEmpty());
    }
  }

  @Test
  void pushedBatchesReachAHubThatPushesThemOnAndProgressSurvivesARestart() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = federation(clock, "DE", "FR", "BE")) {
      for (String c : List.of("FR", "DE", "BE")) {
        f.startNode(c);
      }
      f.push("DE", "FR");
      f.push("FR", "BE");
      f.push("FR", "DE");
      TestBatches t = new TestBatches(5, clock.instant());
      f.upload("DE", t.keys(3, 3));
      f.node("DE").publishDue(true);
      f.await(WAIT, () -> keysHeld(f.node("BE"), "DE") == 64, "BE holds DE's batch");
      assertEquals(
          "FR/op-fr",
          f.node("BE")
              .store()
              .read(tx -> tx.batches().ofOrigin("DE"))
              .get(0)
              .receivedFrom()
              .toString());
      // FR does not push DE's batch back to DE, and DE remembers what it pushed to FR
      assertEquals(1, f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).size());
      f.stopNode("DE");
      f.startNode("DE");
      f.push("DE", "FR");
      f.upload("DE", t.keys(2, 2));
      f.node("DE").publishDue(true);
      f.await(
          WAIT,
          () -> f.node("BE").store().read(tx -> tx.batches().ofOrigin("DE")).size() == 2,
          "BE holds both");
      assertEquals(0.0, f.node("FR").metrics().batchCount("DE/op-de", "in", "duplicate", ""));
    }
  }

  @Test
  void aPushPeerLooksPastAFullPageOfBatchesItDoesNotSend() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = federation(clock, "DE", "FR")) {
      f.startNode("DE");
      f.startNode("FR");
      // 130 batches of FR at DE: more than one page, none of them goes back to FR
      TestBatches t = new TestBatches(6, clock.instant());
      for (int i = 1; i <= 130; i++) {
        DiagnosisKeyBatch b =
            Signatures.sign(t.batch("FR", i, t.keys(1, 1)), f.credentials("FR").signing());
        f.federation("DE", "FR").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
      }
      f.upload("DE", t.keys(3, 3));
      f.node("DE").publishDue(true);
      // DE starts pushing with its own batch behind that page, and nothing else stored after
      f.push("DE", "FR");
      f.await(WAIT, () -> keysHeld(f.node("FR"), "DE") == 64, "FR holds DE's batch");
    }
  }

  @Test
  void aSubscriptionLooksPastAFullPageOfBatchesItDoesNotSendBeforeSayingCaughtUp()
      throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f =
        federation(clock, "DE", "FR").withConfig("limits:\n  requestsPerSecondPerPeer: 100000\n")) {
      f.startNode("DE");
      f.startNode("FR");
      // 300 batches of FR at DE, more than a subscription round examines; none goes back to FR
      TestBatches t = new TestBatches(7, clock.instant());
      for (int i = 1; i <= 300; i++) {
        DiagnosisKeyBatch b =
            Signatures.sign(t.batch("FR", i, t.keys(1, 1)), f.credentials("FR").signing());
        f.federation("DE", "FR").publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
      }
      f.upload("DE", t.keys(3, 3));
      f.node("DE").publishDue(true);

      java.util.Iterator<SubscribeBatchesResponse> stream =
          f.federation("DE", "FR")
              .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
              .subscribeBatches(SubscribeBatchesRequest.getDefaultInstance());
      SubscribeBatchesResponse first = stream.next();
      assertTrue(first.hasBatch(), "DE's own batch first, not a heartbeat: " + first);
      assertEquals("DE", first.getBatch().getOrigin());
      assertFalse(first.getCaughtUp(), "not caught up before the backlog was sent");
      SubscribeBatchesResponse second = stream.next();
      assertFalse(second.hasBatch());
      assertTrue(second.getCaughtUp());
    }
  }
}
