package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one operator's node on one PostgreSQL store, racing for the work that must happen
 * once: closing and signing a batch, signing a checkpoint.
 */
class ReplicasTest {
  private static final int ROUNDS = 25;

  @TempDir Path dir;

  /** Runs {@code a} and {@code b} at the same moment on two threads; returns both results. */
  private static <T> List<T> race(ExecutorService pool, Callable<T> a, Callable<T> b)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    Future<T> fa =
        pool.submit(
            () -> {
              start.await();
              return a.call();
            });
    Future<T> fb =
        pool.submit(
            () -> {
              start.await();
              return b.call();
            });
    return List.of(fa.get(), fb.get());
  }

  @Test
  void racingReplicasNeverSignTwoBatchesWithOneSequenceNorOneCheckpointTwice() throws Exception {
    Clock clock = Clock.systemUTC();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (TestFederation f =
        TestFederation.create(dir, clock, "DE").withPostgres().withoutBackgroundWork()) {
      Node a = f.startNode("DE");
      Node b = f.startReplica("DE");
      TestBatches keys = new TestBatches(5, clock.instant());
      Set<ByteString> uploaded = new HashSet<>();
      int published = 0;
      for (int round = 0; round < ROUNDS; round++) {
        List<DiagnosisKey> upload = keys.keys(3, 10);
        upload.forEach(k -> uploaded.add(k.getKeyData()));
        f.upload("DE", upload); // through replica a; both see the keys pending
        List<Integer> batches = race(pool, () -> a.publishDue(true), () -> b.publishDue(true));
        assertEquals(1, batches.get(0) + batches.get(1), "one replica closes the batch");
        published++;

        List<Checkpoint> signed =
            race(
                pool,
                () -> a.transparencyLog().checkpoint(),
                () -> b.transparencyLog().checkpoint());
        assertEquals(signed.get(0), signed.get(1), "one checkpoint for one tree size");
      }

      List<StoredBatch> own = a.store().read(tx -> tx.batches().ofOrigin("DE"));
      assertEquals(published, own.size());
      Set<ByteString> published0 = new HashSet<>();
      for (int i = 0; i < own.size(); i++) {
        DiagnosisKeyBatch batch = TestBatches.parse(own.get(i).payload());
        assertEquals(i + 1, batch.getSequence(), "sequences 1, 2, 3, ... without gap");
        for (DiagnosisKey k : batch.getKeysList()) {
          published0.add(k.getKeyData());
        }
      }
      assertTrue(published0.containsAll(uploaded), "every uploaded key is in a batch");
      long created =
          a.transparencyLog().entries(0, a.transparencyLog().checkpoint().getTreeSize()).stream()
              .map(LogEntry::getEventType)
              .filter(t -> t == EventType.EVENT_TYPE_BATCH_CREATED)
              .count();
      assertEquals(published, created, "one BATCH_CREATED entry per batch");
      assertEquals(
          a.transparencyLog().checkpoint(),
          b.transparencyLog().checkpoint(),
          "one log, seen alike from both replicas");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneReplicaExchangesWithAPeerAndAnotherTakesItOverWhenItStops() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "DE", "FR")) {
      Node fr = f.startNode("FR");
      f.withPostgres()
          .withConfig(
              "peers:\n  - {identity: FR/op-fr, address: \"127.0.0.1:" + fr.port() + "\"}\n");
      Node a = f.startNode("DE");
      Node b = f.startReplica("DE");
      String lease = "peer:FR/op-fr";
      String first = a.store().read(tx -> tx.leases().holder(lease, clock.millis())).orElseThrow();
      assertTrue(first.equals(a.replica()) || first.equals(b.replica()), first);
      TestBatches keys = new TestBatches(9, clock.instant());
      f.upload("FR", keys.keys(14, 13));
      f.await(WAIT, () -> heldFrom(a, "FR") == 1, "the first FR batch at DE");

      Node holder = first.equals(a.replica()) ? a : b;
      Node other = holder == a ? b : a;
      holder.stop(Duration.ofSeconds(5)); // gives its leases up
      f.await(
          WAIT,
          () -> other.replica().equals(leaseHolder(other, lease)),
          "the other replica takes FR over");
      f.upload("FR", keys.keys(14, 13));
      f.await(WAIT, () -> heldFrom(other, "FR") == 2, "the next FR batch, through the other");
      assertEquals(2, heldFrom(other, "FR"), "nothing doubled");
    }
  }

  @Test
  void everyReplicaRunsOneMatchingModeAndOneOfThemMatches() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f =
        TestFederation.create(dir, clock, "DE").withPostgres().withConfig(OPERATOR)) {
      Node a = f.startNode("DE");
      Node b = f.startReplica("DE"); // takes deposits; a matches
      assertEquals(a.replica(), leaseHolder(b, "operator-matching"));
      f.withConfig(""); // device mode
      NodeStartException device =
          assertThrows(NodeStartException.class, () -> f.startReplica("DE"));
      assertEquals(
          "matching.mode: replica "
              + a.replica()
              + " runs operator-assisted matching on this store; every replica of a node runs one"
              + " matching mode (device mode would erase its deposits)",
          device.getMessage());
      a.stop(Duration.ofSeconds(5)); // gives the lease up; b takes it at its next turn
      f.await(
          WAIT,
          () -> b.replica().equals(leaseHolder(b, "operator-matching")),
          "b runs operator matching once a stopped");
    }
  }

  private static final String OPERATOR = "matching:\n  mode: operator\n";

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static long heldFrom(Node n, String origin) {
    return n.store().read(tx -> tx.batches().ofOrigin(origin)).size();
  }

  private static String leaseHolder(Node n, String lease) {
    return n.store().read(tx -> tx.leases().holder(lease, System.currentTimeMillis())).orElse("");
  }
}
