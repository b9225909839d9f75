package org.fedtrace.bench;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.matching.Matcher;
import org.fedtrace.node.Node;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.transport.MutualTls;

/**
 * Operator-assisted matching (spec §15) on a real node over mutual TLS on loopback, in one JVM:
 * deposits, matching in the node, and the matching engine alone on the same data in the same run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.fedtrace.bench.OperatorMatchingBenchmark \
 *     [--observations N] [--keys-per-batch N] [--batches-per-round N] [--rounds N] \
 *     [--warmup-rounds N] [--planted-per-batch N] [--threads 1,2] [--latency-batches N] \
 *     [--deposit-streams N] [--io-threads N] [--seed N] [--dir DIR]
 * </pre>
 *
 * <p>Node FR runs in operator mode; DE is the origin of the batches and the peer that pushes them.
 * Phases:
 *
 * <ul>
 *   <li>{@code deposit}: FR's own backend (a client certificate of FR) deposits every observation,
 *       {@value OperatorWorkload#OBSERVATIONS_PER_DEPOSIT} per DepositObservations call, each
 *       answer after the durable commit; observations per second.
 *   <li>{@code match}, for each matching thread count: FR restarts with {@code matching.threads}
 *       set and without background work (it loads the observations from its store); each round DE
 *       pushes a round of batches (PublishBatch, each acknowledged after its commit), then the
 *       harness times {@link Node#matchStored()}: reading the stored batches, parsing them,
 *       matching, and committing the exposures. Right after, on the same thread count, the engine
 *       alone ({@link Matcher#match} on an index of the same observations, the same keys) and its
 *       derivation alone ({@link Matcher#deriveOnly}): the limits of the same code path.
 *   <li>{@code latency}: FR restarts with background work; each batch is pushed alone and the
 *       backend polls GetExposures for a device with a match in it; the time from the batch's
 *       acknowledgement to the exposure being answered.
 *   <li>{@code check}: GetExposures for every device must answer exactly the planted exposures of
 *       every batch pushed; the engine's results are checked batch by batch too. A difference fails
 *       the run (exit status 1).
 * </ul>
 */
public final class OperatorMatchingBenchmark {
  private static final String ORIGIN = OperatorWorkload.ORIGIN;
  private static final String NODE = "FR";

  private final PrintStream out;
  private final CpuMeter meter = new CpuMeter();
  private OperatorMatchingOptions options = OperatorMatchingOptions.defaults();

  private final List<String> summary = new ArrayList<>();
  private OperatorWorkload workload;
  private BatchFeed feed;
  private BenchFederation federation;
  private EventLoopGroup clientLoop;
  private Node node;

  OperatorMatchingBenchmark(PrintStream out) {
    this.out = out;
  }

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    OperatorMatchingBenchmark b = new OperatorMatchingBenchmark(System.out);
    try {
      b.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "OperatorMatchingBenchmark: " + e.getMessage() + "\n" + OperatorMatchingOptions.USAGE);
      System.exit(2);
    }
    try {
      b.run();
    } catch (IllegalStateException e) {
      System.err.println("OperatorMatchingBenchmark: FAILED: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /** Takes the options {@code args} give; see {@link OperatorMatchingOptions#parse}. */
  void parse(String[] args) {
    options = OperatorMatchingOptions.parse(args);
  }

  /**
   * Runs every phase and prints the figures.
   *
   * @throws IllegalStateException when the node or the engine found other exposures than planted
   */
  void run() throws Exception {
    boolean temporary = options.dir() == null;
    Path root = temporary ? Files.createTempDirectory("fedtrace-opbench") : options.dir();
    try (BenchFederation f = new BenchFederation(root, ORIGIN, NODE)) {
      federation = f;
      header(root);
      generate();
      clientLoop = federation.clientLoop(1);
      List<Integer> threads = options.threads();
      node = federation.startNode(NODE, options.ioThreads(), operatorMode(threads.get(0)), false);
      summary.add(
          new DepositPhase(out, meter, workload)
              .run(node, federation.channel(NODE, NODE, clientLoop), options.depositStreams()));
      for (int t : threads) {
        restart(t, false);
        summary.add(
            new MatchPhase(out, meter, options, workload, feed, node)
                .run(federation.channel(NODE, ORIGIN, clientLoop), t));
      }
      if (options.latencyBatches() > 0) {
        restart(threads.get(threads.size() - 1), true);
        summary.add(
            new LatencyPhase(out, options, workload, feed)
                .run(federation.channel(NODE, ORIGIN, clientLoop), backend()));
      }
      check();
      out.printf(
          "%nat the end: load average %s%s%n",
          MachineLoad.loadAverage(), MachineLoad.probe(options.probeMillis()));
      out.printf("%nsummary%n");
      summary.forEach(out::println);
    } finally {
      if (temporary) {
        DataFolder.deleteTree(root);
      }
    }
  }

  private static String operatorMode(int threads) {
    return String.join("\n", "matching:", "  mode: operator", "  threads: " + threads, "");
  }

  /** FR's own backend: a client certificate of FR calling FR. */
  private Backend backend() throws IOException {
    return new Backend(federation.channel(NODE, NODE, clientLoop), workload);
  }

  private void header(Path root) throws IOException, InterruptedException {
    out.println("fedtrace operator-assisted matching benchmark");
    out.printf(
        "machine: %d processors available to the JVM, %s %s, TLS provider %s, max heap %d MiB%n",
        CpuMeter.cores(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        MutualTls.provider(),
        Runtime.getRuntime().maxMemory() >> 20);
    out.printf(
        "load: load average %s%s%n",
        MachineLoad.loadAverage(), MachineLoad.probe(options.probeMillis()));
    double fsync = DataFolder.fsyncMillis(root);
    out.printf("disk: %s; 4 KiB write + fsync takes %.2f ms (median of 50)%n", root, fsync);
  }

  private void generate() throws Exception {
    int batches =
        options.threads().size()
                * (options.warmupRounds() + options.rounds())
                * options.batchesPerRound()
            + options.latencyBatches();
    long t0 = System.nanoTime();
    Instant now = Instant.now();
    SignedBatches origin =
        new SignedBatches(ORIGIN, federation.signer(ORIGIN), now, options.seed(), true);
    workload =
        OperatorWorkload.generate(
            origin,
            now,
            options.observations(),
            batches,
            options.keysPerBatch(),
            options.plantedPerBatch(),
            options.seed());
    feed = new BatchFeed(workload);
    long depositBytes = workload.deposits().stream().mapToLong(r -> r.length).sum();
    out.printf(
        "%nworkload (made in %.1f s, not measured): %,d observations of %,d devices (%,d per"
            + " DepositObservations call, %.1f bytes per observation on the wire); %d batches of"
            + " %,d keys (%,d RPIs each), %,d exposures planted (%,d decoys that must not match)%n",
        (System.nanoTime() - t0) / 1e9,
        workload.observations(),
        workload.deviceKeys().size(),
        OperatorWorkload.OBSERVATIONS_PER_DEPOSIT,
        depositBytes / (double) workload.observations(),
        batches,
        options.keysPerBatch(),
        workload.batches().get(0).rpis(),
        workload.expected().size(),
        workload.decoys());
    long indexBytes = workload.index().retainedBytes();
    out.printf(
        "matching index: %,d bytes (%.0f per observation); the L2 cache is 2 MiB per core and the"
            + " L3 32 MiB on the machine this was written on, so it %s%n",
        indexBytes,
        indexBytes / (double) workload.observations(),
        indexBytes <= 32L << 20 ? "fits in the L3 cache" : "does not fit in the L3 cache");
  }

  /**
   * Restarts FR with {@code matchingThreads} matching threads and {@code backgroundWork} on or off:
   * it loads the deposited observations from its store into its index.
   */
  private void restart(int matchingThreads, boolean backgroundWork) throws Exception {
    federation.stopNode(NODE);
    long t0 = System.nanoTime();
    node =
        federation.startNode(
            NODE, options.ioThreads(), operatorMode(matchingThreads), backgroundWork);
    double s = (System.nanoTime() - t0) / 1e9;
    long held = node.store().read(tx -> tx.operator().observationCount());
    out.printf(
        "%nnode FR restarted with matching.threads %d, background work %s: loaded %,d"
            + " observations into its index in %.1f s (%,.0f per second, with the node's start)%n",
        matchingThreads, backgroundWork ? "on" : "off", held, s, held / s);
  }

  /**
   * GetExposures of every device must answer exactly the exposures planted in the batches pushed;
   * the engine's were checked in every round ({@link Matcher#match}).
   */
  private void check() throws Exception {
    Backend backend = backend();
    int pushed = feed.next();
    long found = 0;
    for (int d = 0; d < workload.deviceKeys().size(); d++) {
      List<String> seen = new ArrayList<>();
      for (Exposure e : backend.exposures(d)) {
        seen.add(
            OperatorWorkload.exposure(e.getOrigin(), e.getIntervalsList(), e.getDurationSeconds()));
      }
      workload.checkDevice(d, pushed, seen);
      found += seen.size();
    }
    long planted = workload.expected().stream().filter(x -> x.batch() < pushed).count();
    out.printf(
        "%ncheck: GetExposures of all %,d devices answered %,d exposures, exactly the %,d planted"
            + " in the %d batches pushed (and none of the decoys); the engine alone found the"
            + " same in every round%n",
        workload.deviceKeys().size(), found, planted, pushed);
  }
}
