package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.Node;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.transport.MutualTls;

/**
 * Node ingest and pull throughput over real mutual TLS on loopback, in one JVM.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.fedtrace.bench.NodeIngestBenchmark \
 *     [--keys N] [--batch-size N] [--streams N] [--connections N] [--warmup-seconds N] \
 *     [--io-threads N] [--phases limit,ingest,pull,sync,stages] [--unsorted] [--dir DIR]
 * </pre>
 *
 * <p>Phases, each printed with keys per second (wall clock), CPU seconds by thread group, and keys
 * per CPU-second of the whole process (the per-core figure):
 *
 * <ul>
 *   <li>{@code limit}: the same pre-signed PublishBatch requests to a sink server with the node's
 *       TLS and gRPC set-up that only parses them: the transport's limit.
 *   <li>{@code ingest}: PublishBatch of the origin DE's pre-signed batches to node FR, several
 *       calls in flight; each answer arrives after full validation, certificate and signature
 *       checks and the durable commit.
 *   <li>{@code pull}: a client (member IT) subscribes to FR from the beginning and receives every
 *       batch (parsed) until the stream reports caught up; run twice, the first is a warm-up.
 *   <li>{@code sync}: a second node, IT, follows FR: it pulls every batch and admits and commits it
 *       as a node does, one batch after the other.
 *   <li>{@code stages}: the receiving node's stages one at a time on one thread.
 * </ul>
 */
public final class NodeIngestBenchmark {
  private static final String ORIGIN = "DE";
  private static final String RECEIVER = "FR";
  private static final String PULLER = "IT";

  /** First sequence number of warm-up batches, after those of any measured batch. */
  private static final long WARMUP_SEQUENCES = 1_000_000_001L;

  private final PrintStream out = System.out;
  private final CpuMeter meter = new CpuMeter();
  private final NodeIngestOptions options;
  private final BatchPusher pusher;
  private final PhaseReport report;

  private NodeIngestBenchmark(NodeIngestOptions options) {
    this.options = options;
    this.pusher = new BatchPusher(options.streams());
    this.report = new PhaseReport(out, meter, pusher);
  }

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    NodeIngestOptions options;
    try {
      options = NodeIngestOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("NodeIngestBenchmark: " + e.getMessage() + "\n" + NodeIngestOptions.USAGE);
      System.exit(2);
      return;
    }
    new NodeIngestBenchmark(options).run();
    System.exit(0);
  }

  private void run() throws Exception {
    boolean temporary = options.dir() == null;
    Path root = temporary ? Files.createTempDirectory("fedtrace-bench") : options.dir();
    try (BenchFederation federation = new BenchFederation(root, ORIGIN, RECEIVER, PULLER)) {
      int batchSize = options.batchSize();
      int measured = (options.keys() + batchSize - 1) / batchSize;
      header(root, measured);
      SignedBatches origin =
          new SignedBatches(
              ORIGIN, federation.signer(ORIGIN), Instant.now(), 42, !options.unsorted());
      long t0 = System.nanoTime();
      List<byte[]> timed = origin.requests(measured, batchSize, 1);
      long wire = timed.stream().mapToLong(r -> r.length).sum();
      out.printf(
          "signed %d batches in %.1f s (the origin's cost, not measured); %.1f bytes per key on"
              + " the wire%n",
          timed.size(),
          (System.nanoTime() - t0) / 1e9,
          wire / (double) ((long) measured * batchSize));
      EventLoopGroup clientLoop = federation.clientLoop(Math.min(options.connections(), 2));
      if (options.runs("limit")) {
        limit(federation, clientLoop, timed);
      }
      if (options.runs("ingest") || options.runs("pull") || options.runs("sync")) {
        engines(federation, clientLoop, origin, timed, root);
      }
      if (options.runs("stages")) {
        stages(federation, root, timed);
      }
      out.printf(
          "%nload at the end: a busy loop on %d threads obtains %.2f cores%n",
          CpuMeter.cores(), CpuMeter.coresObtained(2000));
    } finally {
      if (temporary) {
        DataFolder.deleteTree(root);
      }
    }
  }

  /** The transport's limit: the same requests to a sink that only parses them. */
  private void limit(BenchFederation federation, EventLoopGroup clientLoop, List<byte[]> timed)
      throws Exception {
    int port = federation.startSink(RECEIVER, options.ioThreads());
    List<ManagedChannel> sink = new ArrayList<>();
    for (int c = 0; c < options.connections(); c++) {
      sink.add(federation.sinkChannel(port, RECEIVER, ORIGIN, clientLoop));
    }
    pusher.push(sink, timed.iterator());
    report.report(
        "limit: PublishBatch to a parse-only sink",
        keysIn(timed),
        () -> pusher.push(sink, timed.iterator()));
  }

  /**
   * The receiving phases once per store engine, nodes FR and IT on new stores each time, and the
   * ratio of the engines' ingest rates.
   */
  private void engines(
      BenchFederation federation,
      EventLoopGroup clientLoop,
      SignedBatches origin,
      List<byte[]> timed,
      Path root)
      throws Exception {
    boolean postgres = options.stores().contains("postgresql");
    try (BenchPostgres pg =
        postgres
            ? BenchPostgres.open(
                options.postgresUrl(),
                options.postgresUser(),
                options.postgresPasswordFile(),
                root.resolve("postgresql"))
            : null) {
      Map<String, Double> ingest = new LinkedHashMap<>();
      for (String engine : options.stores()) {
        boolean onPostgres = engine.equals("postgresql");
        out.printf(
            "%n== store engine: %s%s ==%n",
            engine,
            onPostgres
                ? " (" + pg.describe() + ", on this machine unless given)"
                : " (WAL, synchronous=FULL)");
        String frStore = onPostgres ? pg.newStore(8) : "";
        String itStore = onPostgres ? pg.newStore(8) : "";
        ingest.put(engine, receiver(federation, clientLoop, origin, timed, frStore, itStore));
        federation.stopNode(RECEIVER);
        federation.stopNode(PULLER);
        for (String node : List.of(RECEIVER, PULLER)) {
          Path data = root.resolve(node).resolve("data");
          if (Files.exists(data)) {
            DataFolder.deleteTree(data); // the next engine's run starts empty
          }
        }
      }
      if (ingest.size() == 2 && ingest.containsKey("sqlite") && ingest.containsKey("postgresql")) {
        out.printf(
            "%ningest on postgresql / ingest on sqlite, same run: %,.0f / %,.0f keys/s = %.2f%n",
            ingest.get("postgresql"),
            ingest.get("sqlite"),
            ingest.get("postgresql") / ingest.get("sqlite"));
      }
    }
  }

  /**
   * Ingest into node FR after a warm-up, then pulling from it and a node following it; returns the
   * ingest rate (keys/s), or NaN without that phase.
   *
   * @param frStore the {@code store:} block of FR's configuration ("" for SQLite in its folder)
   * @param itStore the same for the following node IT
   */
  private double receiver(
      BenchFederation federation,
      EventLoopGroup clientLoop,
      SignedBatches origin,
      List<byte[]> timed,
      String frStore,
      String itStore)
      throws Exception {
    Node receiver = federation.startNode(RECEIVER, options.ioThreads(), frStore, true);
    List<ManagedChannel> pushers = new ArrayList<>();
    for (int c = 0; c < options.connections(); c++) {
      pushers.add(federation.channel(RECEIVER, ORIGIN, clientLoop));
    }
    long warm = pusher.push(pushers, warmup(origin));
    out.printf(
        "%nwarm-up: %d batches pushed to FR in %d s, signed as they went%n",
        warm, options.warmupSeconds());
    double serverCpu = BenchPostgres.serverCpuSeconds();
    CpuMeter.Snapshot before = meter.snapshot();
    double ingest =
        report.report(
            "ingest: PublishBatch to node FR",
            keysIn(timed),
            () -> pusher.push(pushers, timed.iterator()));
    if (!frStore.isEmpty()) {
      double server = BenchPostgres.serverCpuSeconds() - serverCpu;
      double process = CpuMeter.seconds(before, meter.snapshot()).get("process");
      out.printf(
          "  PostgreSQL server processes: %.2f CPU-s; with the JVM's %.2f: %,.0f keys per"
              + " CPU-second of node and database together%n",
          server, process, keysIn(timed) / (server + process));
    }
    long batches = warm + timed.size();
    long stored = receiver.store().read(tx -> tx.batches().recordCount());
    if (stored != batches) {
      throw new IllegalStateException("FR holds " + stored + " batches, expected " + batches);
    }
    long held = batches * options.batchSize();
    if (options.runs("pull")) {
      ManagedChannel ch = federation.channel(RECEIVER, PULLER, clientLoop);
      for (int run = 1; run <= 2; run++) {
        report.report(
            "pull " + run + ": SubscribeBatches from FR, " + batches + " batches",
            held,
            () -> BatchSubscriber.receiveAll(ch, held));
      }
    }
    if (options.runs("sync")) {
      Node follower = federation.startNode(PULLER, options.ioThreads(), itStore, true);
      report.report(
          "sync: node IT follows FR (pull, admit, commit), " + batches + " batches",
          held,
          () -> {
            federation.follow(PULLER, RECEIVER);
            awaitStored(follower, batches);
          });
    }
    return ingest;
  }

  /** The receiving node's stages one at a time on one thread. */
  private void stages(BenchFederation federation, Path root, List<byte[]> timed) throws Exception {
    List<OperatorIdentity> members =
        List.of(
            new OperatorIdentity(ORIGIN, "op-de"),
            new OperatorIdentity(RECEIVER, "op-fr"),
            new OperatorIdentity(PULLER, "op-it"));
    new StageProfile(
            timed.subList(0, Math.min(20, timed.size())),
            federation.validator(),
            members,
            root.resolve("stage-store"))
        .run(out);
  }

  private long keysIn(List<byte[]> batches) {
    return (long) batches.size() * options.batchSize();
  }

  /**
   * Batches signed as they are taken, for the warm-up's seconds, with sequence numbers after those
   * of the measured batches: they give the JIT compilers time to finish before the measurement.
   */
  private Iterator<byte[]> warmup(SignedBatches origin) {
    long deadline = System.nanoTime() + options.warmupSeconds() * 1_000_000_000L;
    int batchSize = options.batchSize();
    return new Iterator<>() {
      private long sequence = WARMUP_SEQUENCES;

      @Override
      public boolean hasNext() {
        return System.nanoTime() < deadline;
      }

      @Override
      public byte[] next() {
        return origin.request(sequence++, batchSize);
      }
    };
  }

  private void header(Path root, int measured) throws IOException, InterruptedException {
    out.println("fedtrace node ingest and pull benchmark");
    out.printf(
        "machine: %d processors available to the JVM, %s %s, TLS provider %s%n",
        CpuMeter.cores(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        MutualTls.provider());
    out.printf(
        "work: %,d keys in %d batches of %,d, keys %s (after a %d s warm-up); %d PublishBatch"
            + " calls in flight over %d connection(s); %d server I/O thread(s)%n",
        (long) measured * options.batchSize(),
        measured,
        options.batchSize(),
        options.unsorted() ? "in random order" : "sorted (R8.32)",
        options.warmupSeconds(),
        options.streams(),
        options.connections(),
        options.ioThreads());
    out.printf(
        "load: a busy loop on %d threads obtains %.2f cores now (other processes take the rest)%n",
        CpuMeter.cores(), CpuMeter.coresObtained(2000));
    double fsync = DataFolder.fsyncMillis(root);
    out.printf(
        "disk: %s; 4 KiB write + fsync takes %.2f ms (median of 50): at most %,.0f commits/s%n",
        root, fsync, 1000 / fsync);
  }

  private static void awaitStored(Node node, long batches) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (node.store().read(tx -> tx.batches().recordCount()) < batches) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the follower did not catch up within 30 minutes");
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
