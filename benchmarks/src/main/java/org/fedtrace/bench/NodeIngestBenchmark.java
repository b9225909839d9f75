package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.fedtrace.node.Node;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
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
  private int keys = 5_000_000;
  private int batchSize = 10_000;
  private int streams = 4;
  private int connections = 2;
  private int warmupSeconds = 20;
  private int ioThreads = 2;
  private List<String> phases = List.of("limit", "ingest", "pull", "sync", "stages");
  private Path dir;
  private boolean unsorted;

  /** Acknowledgement latencies of the last push, sorted; reported with its phase. */
  private long[] lastLatencies;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp benchmarks/target/benchmarks.jar org.fedtrace.bench.NodeIngestBenchmark",
          "  --keys N            keys in the measured batches (default 5000000)",
          "  --batch-size N      keys per batch, 1..10000 (default 10000)",
          "  --streams N         PublishBatch calls in flight (default 4)",
          "  --connections N     client connections they share (default 2)",
          "  --warmup-seconds N  warm-up before measuring, batches signed on the fly (default 20)",
          "  --io-threads N      server event-loop threads per node (default 2)",
          "  --phases LIST       of limit,ingest,pull,sync,stages (default: all)",
          "  --unsorted          keys in random order instead of sorted as R8.32 asks",
          "  --dir DIR           keep the nodes' files in DIR (default: a temporary folder)");

  private NodeIngestBenchmark() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    NodeIngestBenchmark b = new NodeIngestBenchmark();
    try {
      b.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("NodeIngestBenchmark: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    b.run();
    System.exit(0);
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (name.equals("--unsorted")) {
        unsorted = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String v = args[++i];
      switch (name) {
        case "--keys" -> keys = positive(name, v);
        case "--batch-size" -> batchSize = positive(name, v);
        case "--streams" -> streams = positive(name, v);
        case "--connections" -> connections = positive(name, v);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(v);
        case "--io-threads" -> ioThreads = positive(name, v);
        case "--phases" -> phases = List.of(v.split(","));
        case "--dir" -> dir = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (batchSize > 10_000) {
      throw new IllegalArgumentException("--batch-size is at most 10000 (R8.3)");
    }
  }

  private static int positive(String name, String v) {
    int n = Integer.parseInt(v.replace("_", ""));
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }

  private void run() throws Exception {
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("fedtrace-bench") : dir;
    try (BenchFederation federation = new BenchFederation(root, ORIGIN, RECEIVER, PULLER)) {
      int measured = (keys + batchSize - 1) / batchSize;
      header(root, measured);
      SignedBatches origin =
          new SignedBatches(ORIGIN, federation.signer(ORIGIN), Instant.now(), 42, !unsorted);
      long t0 = System.nanoTime();
      List<byte[]> timed = origin.requests(measured, batchSize, 1);
      long wire = timed.stream().mapToLong(r -> r.length).sum();
      out.printf(
          "signed %d batches in %.1f s (the origin's cost, not measured); %.1f bytes per key on"
              + " the wire%n",
          timed.size(),
          (System.nanoTime() - t0) / 1e9,
          wire / (double) ((long) measured * batchSize));
      EventLoopGroup clientLoop = federation.clientLoop(Math.min(connections, 2));
      if (phases.contains("limit")) {
        int port = federation.startSink(RECEIVER, ioThreads);
        List<ManagedChannel> sink = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
          sink.add(federation.sinkChannel(port, RECEIVER, ORIGIN, clientLoop));
        }
        push(sink, timed.iterator());
        report(
            "limit: PublishBatch to a parse-only sink", timed, () -> push(sink, timed.iterator()));
      }
      if (phases.contains("ingest") || phases.contains("pull") || phases.contains("sync")) {
        Node receiver = federation.startNode(RECEIVER, ioThreads);
        List<ManagedChannel> pushers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
          pushers.add(federation.channel(RECEIVER, ORIGIN, clientLoop));
        }
        long warm = push(pushers, warmup(origin));
        out.printf(
            "%nwarm-up: %d batches pushed to FR in %d s, signed as they went%n",
            warm, warmupSeconds);
        report("ingest: PublishBatch to node FR", timed, () -> push(pushers, timed.iterator()));
        long batches = warm + timed.size();
        long stored = receiver.store().batchRecordCount();
        if (stored != batches) {
          throw new IllegalStateException("FR holds " + stored + " batches, expected " + batches);
        }
        long held = batches * batchSize;
        if (phases.contains("pull")) {
          ManagedChannel ch = federation.channel(RECEIVER, PULLER, clientLoop);
          for (int run = 1; run <= 2; run++) {
            report(
                "pull " + run + ": SubscribeBatches from FR, " + batches + " batches",
                held,
                () -> pull(ch, held));
          }
        }
        if (phases.contains("sync")) {
          Node follower = federation.startNode(PULLER, ioThreads);
          report(
              "sync: node IT follows FR (pull, admit, commit), " + batches + " batches",
              held,
              () -> {
                federation.follow(PULLER, RECEIVER);
                awaitStored(follower, batches);
              });
        }
      }
      if (phases.contains("stages")) {
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
      out.printf(
          "%nload at the end: a busy loop on %d threads obtains %.2f cores%n",
          CpuMeter.cores(), CpuMeter.coresObtained(2000));
    } finally {
      if (temporary) {
        deleteTree(root);
      }
    }
  }

  /**
   * Batches signed as they are taken, for {@link #warmupSeconds}, with sequence numbers after those
   * of the measured batches: they give the JIT compilers time to finish before the measurement.
   */
  private Iterator<byte[]> warmup(SignedBatches origin) {
    long deadline = System.nanoTime() + warmupSeconds * 1_000_000_000L;
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
        (long) measured * batchSize,
        measured,
        batchSize,
        unsorted ? "in random order" : "sorted (R8.32)",
        warmupSeconds,
        streams,
        connections,
        ioThreads);
    out.printf(
        "load: a busy loop on %d threads obtains %.2f cores now (other processes take the rest)%n",
        CpuMeter.cores(), CpuMeter.coresObtained(2000));
    double fsync = fsyncMillis(root);
    out.printf(
        "disk: %s; 4 KiB write + fsync takes %.2f ms (median of 50): at most %,.0f commits/s%n",
        root, fsync, 1000 / fsync);
  }

  /** Median time of a small write followed by fsync, in the data folder: the commit's floor. */
  static double fsyncMillis(Path root) throws IOException {
    Path probe = root.resolve("fsync-probe");
    long[] samples = new long[50];
    try (FileChannel ch =
        FileChannel.open(
            probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      ByteBuffer page = ByteBuffer.allocate(4096);
      for (int i = 0; i < samples.length; i++) {
        page.clear();
        long start = System.nanoTime();
        ch.write(page, (long) (i % 8) * 4096);
        ch.force(false);
        samples[i] = System.nanoTime() - start;
      }
    }
    Files.delete(probe);
    Arrays.sort(samples);
    return samples[samples.length / 2] / 1e6;
  }

  /** Work of a phase. */
  @FunctionalInterface
  interface Phase {
    void run() throws Exception;
  }

  private void report(String title, List<byte[]> batches, Phase phase) throws Exception {
    report(title, (long) batches.size() * batchSize, phase);
  }

  private void report(String title, long keyCount, Phase phase) throws Exception {
    CpuMeter.Snapshot before = meter.snapshot();
    phase.run();
    CpuMeter.Snapshot after = meter.snapshot();
    double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
    Map<String, Double> cpu = CpuMeter.seconds(before, after);
    double process = cpu.get("process");
    out.printf("%n%s%n", title);
    out.printf(
        "  %,d keys in %.2f s: %,.0f keys/s; process CPU %.2f s (%.2f of %d cores busy):"
            + " %,.0f keys per CPU-second%n",
        keyCount,
        wall,
        keyCount / wall,
        process,
        process / wall,
        CpuMeter.cores(),
        keyCount / process);
    StringBuilder groups = new StringBuilder("  CPU seconds:");
    for (Map.Entry<String, Double> e : cpu.entrySet()) {
      if (!e.getKey().equals("process") && Math.abs(e.getValue()) >= 0.005) {
        groups.append(String.format(" %s %.2f;", e.getKey(), e.getValue()));
      }
    }
    out.println(groups);
    if (lastLatencies != null) {
      out.printf(
          "  acknowledgement latency: median %.1f ms, 99th percentile %.1f ms, max %.1f ms%n",
          percentile(lastLatencies, 0.5),
          percentile(lastLatencies, 0.99),
          percentile(lastLatencies, 1.0));
      lastLatencies = null;
    }
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /**
   * Pushes every request of {@code source}, {@link #streams} calls in flight, spread over the
   * channels; each call's answer comes after the batch is committed.
   *
   * @return the number of batches pushed
   */
  private long push(List<ManagedChannel> channels, Iterator<byte[]> source)
      throws InterruptedException {
    Pusher pusher = new Pusher(source);
    for (int s = 0; s < streams; s++) {
      pusher.sendNext(channels.get(s % channels.size()));
    }
    if (!pusher.done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("push did not finish within 30 minutes");
    }
    if (pusher.failure.get() != null) {
      throw new IllegalStateException(
          "PublishBatch failed: " + Status.fromThrowable(pusher.failure.get()),
          pusher.failure.get());
    }
    lastLatencies = pusher.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return lastLatencies.length;
  }

  /** The calls of one push: each completed call sends the next request. */
  private final class Pusher {
    final Iterator<byte[]> source;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    final CountDownLatch done = new CountDownLatch(streams);

    Pusher(Iterator<byte[]> source) {
      this.source = source;
    }

    void sendNext(ManagedChannel ch) {
      byte[] request;
      synchronized (source) {
        request = failure.get() == null && source.hasNext() ? source.next() : null;
      }
      if (request == null) {
        done.countDown();
        return;
      }
      long start = System.nanoTime();
      RawRequests.publish(
          ch,
          request,
          new StreamObserver<>() {
            @Override
            public void onNext(PublishBatchResponse r) {
              if (r.getDuplicate()) {
                failure.compareAndSet(null, new IllegalStateException("a batch was a duplicate"));
              }
            }

            @Override
            public void onError(Throwable t) {
              failure.compareAndSet(null, t);
              done.countDown();
            }

            @Override
            public void onCompleted() {
              latencies.add(System.nanoTime() - start);
              sendNext(ch);
            }
          });
    }
  }

  /** Subscribes from the beginning and receives until the stream reports caught up. */
  private void pull(ManagedChannel ch, long expectedKeys) throws InterruptedException {
    AtomicLong received = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    FederationGrpc.newStub(ch)
        .withDeadlineAfter(10, TimeUnit.MINUTES)
        .subscribeBatches(
            SubscribeBatchesRequest.getDefaultInstance(),
            new ClientResponseObserver<SubscribeBatchesRequest, SubscribeBatchesResponse>() {
              private ClientCallStreamObserver<SubscribeBatchesRequest> call;

              @Override
              public void beforeStart(ClientCallStreamObserver<SubscribeBatchesRequest> call) {
                this.call = call;
              }

              @Override
              public void onNext(SubscribeBatchesResponse r) {
                if (r.hasBatch()) {
                  received.addAndGet(r.getBatch().getKeysCount());
                }
                if (r.getCaughtUp()) {
                  call.cancel("caught up", null);
                  done.countDown();
                }
              }

              @Override
              public void onError(Throwable t) {
                if (done.getCount() > 0) {
                  failure.set(t);
                  done.countDown();
                }
              }

              @Override
              public void onCompleted() {
                done.countDown();
              }
            });
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException(
          "SubscribeBatches failed: " + Status.fromThrowable(failure.get()), failure.get());
    }
    if (received.get() != expectedKeys) {
      throw new IllegalStateException(
          "received " + received.get() + " keys, expected " + expectedKeys);
    }
  }

  private static void awaitStored(Node node, long batches) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (node.store().batchRecordCount() < batches) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the follower did not catch up within 30 minutes");
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
