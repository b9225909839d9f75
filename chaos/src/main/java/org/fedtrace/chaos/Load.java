package org.fedtrace.chaos;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;

/**
 * The load: per node, a publisher (the operator's backend uploading a few keys at a time with its
 * health authority's authorization) and a subscriber (a member's client following the node's
 * batches with PullBatches and a cursor it keeps across the node's restarts, as R9.5 promises).
 * Both retry through every fault; what the nodes acknowledge goes to the {@link Ledger}.
 */
final class Load implements AutoCloseable {
  private static final long PUBLISH_PAUSE_MILLIS = 150;
  private static final long IDLE_PAUSE_MILLIS = 100;

  /** What an upload may be answered while its node is down, starting or its disk full. */
  private static final java.util.Set<Status.Code> EXPECTED =
      java.util.EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  private final Cluster cluster;
  private final Ledger ledger;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Follower> followers = new ConcurrentHashMap<>();
  private final Map<Status.Code, AtomicLong> refusals = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger publishing =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean paused;

  /** A subscriber of one node: its cursor and what it received. */
  static final class Follower {
    final String node;
    final Holdings held = new Holdings();
    volatile ByteString cursor = ByteString.EMPTY;

    /** When the node last answered that nothing follows the cursor (System.nanoTime()). */
    volatile long caughtUpNanos;

    /** The status of the last pull that failed, for a report. */
    volatile String lastError = "none";

    /** Its state, for a report. */
    String describe() {
      return String.format(
          "%s: %d batches, caught up %d ms ago, last error %s",
          node, held.size(), (System.nanoTime() - caughtUpNanos) / 1_000_000, lastError);
    }

    Follower(String node) {
      this.node = node;
    }
  }

  Load(Cluster cluster, Ledger ledger, long seed) {
    this.cluster = cluster;
    this.ledger = ledger;
    int i = 0;
    for (NodeProcess n : cluster.nodes()) {
      String c = n.country();
      Random r = new Random(seed * 31 + i++);
      followers.put(c, new Follower(c));
      threads.add(new Thread(() -> publish(c, r), "publisher-" + c));
      threads.add(new Thread(() -> follow(followers.get(c)), "subscriber-" + c));
    }
    threads.forEach(Thread::start);
  }

  Follower follower(String node) {
    return followers.get(node);
  }

  /**
   * Uploads refused or failed, by status code (UNAVAILABLE while a node is down or its disk full).
   */
  Map<Status.Code, AtomicLong> refusals() {
    return refusals;
  }

  /** Stops the publishers and waits until no upload is in flight. */
  void pause() {
    paused = true;
    while (publishing.get() > 0) {
      NodeProcess.sleep(10);
    }
  }

  /** Lets the publishers go on. */
  void resume() {
    paused = false;
  }

  private void publish(String country, Random random) {
    while (running.get()) {
      publishing.incrementAndGet();
      if (paused) {
        publishing.decrementAndGet();
        NodeProcess.sleep(IDLE_PAUSE_MILLIS);
        continue;
      }
      try {
        publishOnce(country, random);
      } finally {
        publishing.decrementAndGet();
      }
      NodeProcess.sleep(PUBLISH_PAUSE_MILLIS);
    }
  }

  private void publishOnce(String country, Random random) {
    List<DiagnosisKey> keys = Cluster.keys(random, 1 + random.nextInt(4));
    try {
      cluster.upload(country, keys);
      ledger.uploaded(country, keys);
    } catch (StatusRuntimeException e) {
      // not acknowledged: nothing is owed (it may still appear, once)
      long n =
          refusals
              .computeIfAbsent(e.getStatus().getCode(), k -> new AtomicLong())
              .incrementAndGet();
      if (n == 1 && !EXPECTED.contains(e.getStatus().getCode())) {
        System.out.println(
            "chaos: an upload to " + country + " was answered " + e.getStatus() + " (first one)");
      }
    }
  }

  private void follow(Follower f) {
    FederationGrpc.FederationBlockingStub stub =
        FederationGrpc.newBlockingStub(cluster.pulls(f.node));
    while (running.get()) {
      try {
        long asked = System.nanoTime();
        PullBatchesResponse page =
            stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                .pullBatches(
                    PullBatchesRequest.newBuilder().setCursor(f.cursor).setMaxBatches(500).build());
        ledger.served(page.getBatchesList());
        f.held.add(page.getBatchesList());
        f.cursor = page.getNextCursor();
        if (page.getCaughtUp()) {
          f.caughtUpNanos = asked;
          NodeProcess.sleep(IDLE_PAUSE_MILLIS);
        }
      } catch (StatusRuntimeException e) {
        f.lastError = e.getStatus().toString();
        NodeProcess.sleep(IDLE_PAUSE_MILLIS); // the node is down or partitioned: retry
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    try {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(15));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
