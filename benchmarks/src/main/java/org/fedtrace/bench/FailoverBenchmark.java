package org.fedtrace.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.Node;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.PeerAddress;
import org.fedtrace.transport.MutualTls;

/**
 * Failover time of a subscription between two replicas of one member, over real mutual TLS on
 * loopback, in one JVM: the time from the stop of the replica serving the subscription to the
 * subscriber's commit of a batch only the other replica can deliver. A documented harness, not a
 * timed test.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.fedtrace.bench.FailoverBenchmark \
 *     [--repetitions N] [--retry-initial-millis N] [--settle-millis N] [--dir DIR]
 * </pre>
 *
 * <p>FR runs as two replicas started from one configuration and data folder (one SQLite store);
 * IT's node subscribes to FR listed with both addresses. Each repetition: DE pushes a batch to the
 * replica that does not serve the subscription (which, with idle heartbeats an hour apart, does not
 * see it), the serving replica is stopped, and the clock runs until IT holds the batch: the
 * subscription ends (R21.3), IT waits its retry delay (random up to {@code
 * sync.retryInitialMillis}, spec R20.9), asks the other replica GetNodeInfo, subscribes from its
 * cursor and commits the batch. The stopped replica then restarts at its address, and the harness
 * waits {@code --settle-millis} so that IT's channel has reconnected to it before the next stop.
 */
public final class FailoverBenchmark {
  private static final String USAGE =
      "usage: FailoverBenchmark [--repetitions N (20)] [--retry-initial-millis N (500)]"
          + " [--settle-millis N (5000)] [--dir DIR (a temporary folder)]";
  private static final String ORIGIN = "DE";
  private static final String MEMBER = "FR";
  private static final String SUBSCRIBER = "IT";

  private final PrintStream out = System.out;
  private int repetitions = 20;
  private int retryInitialMillis = 500;
  private int settleMillis = 5000;
  private Path dir;

  private FailoverBenchmark() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    FailoverBenchmark b = new FailoverBenchmark();
    try {
      HarnessArgs.parse(args, USAGE, Set.of(), b::option);
    } catch (IllegalArgumentException e) {
      System.err.println("FailoverBenchmark: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    b.run();
    System.exit(0);
  }

  private void option(String name, String value) {
    switch (name) {
      case "--repetitions" -> repetitions = HarnessArgs.positive(name, value);
      case "--retry-initial-millis" -> retryInitialMillis = HarnessArgs.positive(name, value);
      case "--settle-millis" -> settleMillis = HarnessArgs.positive(name, value);
      case "--dir" -> dir = Path.of(value);
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private void run() throws Exception {
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("fedtrace-failover") : dir;
    try (BenchFederation federation = new BenchFederation(root, ORIGIN, MEMBER, SUBSCRIBER)) {
      out.printf(
          "failover of a subscription between 2 replicas; %d repetitions;"
              + " sync.retryInitialMillis %d; settle %d ms; %d cores; load %s; TLS %s; %s%n",
          repetitions,
          retryInitialMillis,
          settleMillis,
          CpuMeter.cores(),
          MachineLoad.loadAverage(),
          MutualTls.provider(),
          Runtime.version());
      measure(federation);
      out.printf("load at the end: %s%s%n", MachineLoad.loadAverage(), MachineLoad.probe(2000));
    } finally {
      if (temporary) {
        DataFolder.deleteTree(root);
      }
    }
  }

  private void measure(BenchFederation federation) throws Exception {
    String yaml =
        "sync:\n  heartbeatSeconds: 3600\n  retryInitialMillis: " + retryInitialMillis + "\n";
    Node[] replicas = {
      federation.startNode(MEMBER, 1, yaml, false), federation.startReplica(MEMBER, 1, 0, false)
    };
    Node subscriber = federation.startNode(SUBSCRIBER, 1, yaml, false);
    subscriber.follow(
        new NodeConfig.Peer(
            federation.identity(MEMBER),
            List.of(
                new PeerAddress("127.0.0.1", replicas[0].port()),
                new PeerAddress("127.0.0.1", replicas[1].port())),
            NodeConfig.SyncMode.SUBSCRIBE));
    SignedBatches batches =
        new SignedBatches(ORIGIN, federation.signer(ORIGIN), Instant.now(), 7, true);
    EventLoopGroup loop = federation.clientLoop(1);
    push(federation, loop, replicas[0], batches.request(1, 100));
    awaitHeld(subscriber, 1);
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      int serving = servingIndex(replicas);
      Node other = replicas[1 - serving];
      push(federation, loop, other, batches.request(i + 2, 100));
      if (held(subscriber) != i + 1) {
        throw new IllegalStateException("the serving replica delivered the batch before its stop");
      }
      long start = System.nanoTime();
      Node stopped = replicas[serving];
      int port = stopped.port();
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(
              () -> {
                try {
                  stopped.stop(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      awaitHeld(subscriber, i + 2);
      millis.add((System.nanoTime() - start) / 1e6);
      stopping.get(30, TimeUnit.SECONDS);
      replicas[serving] = federation.startReplica(MEMBER, 1, port, false);
      Thread.sleep(settleMillis);
    }
    report(millis);
  }

  /** Which replica serves the subscription, once exactly one does. */
  private static int servingIndex(Node[] replicas) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      double a = replicas[0].metrics().subscriptions();
      double b = replicas[1].metrics().subscriptions();
      if (a + b == 1) {
        return a == 1 ? 0 : 1;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no single replica serves the subscription after 30 s");
  }

  private static void push(
      BenchFederation federation, EventLoopGroup loop, Node replica, byte[] request)
      throws Exception {
    ManagedChannel ch = federation.sinkChannel(replica.port(), MEMBER, ORIGIN, loop);
    try {
      ClientCalls.blockingUnaryCall(
          ch,
          RawRequests.PUBLISH,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          request);
    } finally {
      ch.shutdownNow();
    }
  }

  private static int held(Node node) {
    return node.store().read(tx -> tx.batches().ofOrigin(ORIGIN)).size();
  }

  /** Polls every millisecond until {@code node} holds {@code n} of the origin's batches. */
  private static void awaitHeld(Node node, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (held(node) < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the subscriber holds " + held(node) + " of " + n);
      }
      Thread.sleep(1);
    }
  }

  private void report(List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    out.printf(
        Locale.ROOT,
        "failover ms (stop of the serving replica -> batch committed from the other):"
            + " min %.1f  median %.1f  p95 %.1f  max %.1f  (n=%d)%n",
        sorted.get(0),
        percentile(sorted, 50),
        percentile(sorted, 95),
        sorted.get(sorted.size() - 1),
        sorted.size());
    StringBuilder each = new StringBuilder("each:");
    for (double m : millis) {
      each.append(String.format(Locale.ROOT, " %.1f", m));
    }
    out.println(each);
  }

  /** The nearest-rank percentile of an ascending list. */
  private static double percentile(List<Double> ascending, int p) {
    int rank = (int) Math.ceil(p / 100.0 * ascending.size());
    return ascending.get(Math.max(0, rank - 1));
  }
}
