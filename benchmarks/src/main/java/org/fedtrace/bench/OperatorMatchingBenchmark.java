package org.fedtrace.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.node.Node;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.store.OperatorTables;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
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

  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp benchmarks/target/benchmarks.jar"
              + " org.fedtrace.bench.OperatorMatchingBenchmark",
          "  --observations N       observations deposited (default 1000000)",
          "  --keys-per-batch N     keys in each pushed batch, 1..10000 (default 10000)",
          "  --batches-per-round N  batches pushed, then matched, per round (default 16)",
          "  --rounds N             measured rounds per thread count (default 5)",
          "  --warmup-rounds N      rounds before those, not reported (default 2)",
          "  --planted-per-batch N  keys per batch with planted observations (default 20)",
          "  --threads LIST         matching thread counts, in order (default 1,2)",
          "  --latency-batches N    batches of the latency phase, 0 skips it (default 10)",
          "  --deposit-streams N    DepositObservations calls in flight (default 2)",
          "  --io-threads N         server event-loop threads of the node (default 2)",
          "  --seed N               seed of the synthetic data (default 1)",
          "  --probe-millis N       busy-loop load probe at start and end, 0 skips (default 2000)",
          "  --dir DIR              keep the nodes' files in DIR (default: a temporary folder)");

  private final PrintStream out;
  private final CpuMeter meter = new CpuMeter();
  private int observations = 1_000_000;
  private int keysPerBatch = 10_000;
  private int batchesPerRound = 16;
  private int rounds = 5;
  private int warmupRounds = 2;
  private int plantedPerBatch = 20;
  private List<Integer> threads = List.of(1, 2);
  private int latencyBatches = 10;
  private int depositStreams = 2;
  private int ioThreads = 2;
  private long seed = 1;
  private int probeMillis = 2000;
  private Path dir;

  private final List<String> summary = new ArrayList<>();
  private OperatorWorkload workload;
  private BenchFederation federation;
  private EventLoopGroup clientLoop;
  private Node node;

  /** The next batch to push: every batch before it has been pushed and matched. */
  private int nextBatch;

  OperatorMatchingBenchmark(PrintStream out) {
    this.out = out;
  }

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    OperatorMatchingBenchmark b = new OperatorMatchingBenchmark(System.out);
    try {
      b.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("OperatorMatchingBenchmark: " + e.getMessage() + "\n" + USAGE);
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

  void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String v = args[++i];
      switch (name) {
        case "--observations" -> observations = positive(name, v);
        case "--keys-per-batch" -> keysPerBatch = positive(name, v);
        case "--batches-per-round" -> batchesPerRound = positive(name, v);
        case "--rounds" -> rounds = positive(name, v);
        case "--warmup-rounds" -> warmupRounds = Integer.parseInt(v);
        case "--planted-per-batch" -> plantedPerBatch = positive(name, v);
        case "--threads" ->
            threads = Arrays.stream(v.split(",")).map(t -> positive(name, t)).toList();
        case "--latency-batches" -> latencyBatches = Integer.parseInt(v);
        case "--deposit-streams" -> depositStreams = positive(name, v);
        case "--io-threads" -> ioThreads = positive(name, v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--probe-millis" -> probeMillis = Integer.parseInt(v);
        case "--dir" -> dir = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (keysPerBatch > 10_000) {
      throw new IllegalArgumentException("--keys-per-batch is at most 10000 (R8.3)");
    }
    if (plantedPerBatch > keysPerBatch) {
      throw new IllegalArgumentException("--planted-per-batch exceeds --keys-per-batch");
    }
  }

  private static int positive(String name, String v) {
    int n = Integer.parseInt(v.replace("_", ""));
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }

  /**
   * Runs every phase and prints the figures.
   *
   * @throws IllegalStateException when the node or the engine found other exposures than planted
   */
  void run() throws Exception {
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("fedtrace-opbench") : dir;
    try (BenchFederation f = new BenchFederation(root, ORIGIN, NODE)) {
      federation = f;
      header(root);
      generate();
      clientLoop = federation.clientLoop(1);
      node = federation.startNode(NODE, ioThreads, operatorMode(threads.get(0)), false);
      deposit();
      for (int t : threads) {
        restart(t, false);
        match(t);
      }
      if (latencyBatches > 0) {
        restart(threads.get(threads.size() - 1), true);
        latency();
      }
      check();
      out.printf("%nat the end: load average %s%s%n", loadAverage(), probe());
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

  private void header(Path root) throws IOException, InterruptedException {
    out.println("fedtrace operator-assisted matching benchmark");
    out.printf(
        "machine: %d processors available to the JVM, %s %s, TLS provider %s, max heap %d MiB%n",
        CpuMeter.cores(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        MutualTls.provider(),
        Runtime.getRuntime().maxMemory() >> 20);
    out.printf("load: load average %s%s%n", loadAverage(), probe());
    double fsync = DataFolder.fsyncMillis(root);
    out.printf("disk: %s; 4 KiB write + fsync takes %.2f ms (median of 50)%n", root, fsync);
  }

  /** What a busy loop on every processor obtains: how much other processes leave to this one. */
  private String probe() throws InterruptedException {
    if (probeMillis <= 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "; a busy loop on %d threads obtains %.2f cores",
        CpuMeter.cores(),
        CpuMeter.coresObtained(probeMillis));
  }

  /** The 1-, 5- and 15-minute load averages of the machine. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private void generate() throws Exception {
    int batches = threads.size() * (warmupRounds + rounds) * batchesPerRound + latencyBatches;
    long t0 = System.nanoTime();
    Instant now = Instant.now();
    SignedBatches origin = new SignedBatches(ORIGIN, federation.signer(ORIGIN), now, seed, true);
    workload =
        OperatorWorkload.generate(
            origin, now, observations, batches, keysPerBatch, plantedPerBatch, seed);
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
        keysPerBatch,
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

  // ---- deposit

  private void deposit() throws Exception {
    ManagedChannel backend = federation.channel(NODE, NODE, clientLoop);
    List<byte[]> requests = workload.deposits();
    String load = loadAverage();
    out.printf(
        "%ndeposit: %,d DepositObservations calls from FR's backend, %d in flight (load average"
            + " %s)%n",
        requests.size(), depositStreams, load);
    long[] stored = new long[1];
    CpuMeter.Snapshot before = meter.snapshot();
    Calls calls =
        send(
            backend,
            requests,
            depositStreams,
            RawRequests::deposit,
            (DepositObservationsResponse r) -> {
              synchronized (stored) {
                stored[0] += r.getStoredObservations();
              }
              return r.getDuplicateObservations() == 0;
            });
    CpuMeter.Snapshot after = meter.snapshot();
    long held = node.store().inReadTransaction(c -> new OperatorTables(c).observationCount());
    if (stored[0] != workload.observations() || held != workload.observations()) {
      throw new IllegalStateException(
          "deposit: "
              + stored[0]
              + " observations stored by the calls, "
              + held
              + " held, "
              + workload.observations()
              + " sent");
    }
    double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
    double process = CpuMeter.seconds(before, after).get("process");
    double fr = CpuMeter.seconds(before, after).get("receiving node FR");
    double rate = workload.observations() / wall;
    out.printf(
        "  %,d observations in %.2f s: %,.0f observations/s; process CPU %.2f s (%.2f of %d cores"
            + " busy): %,.0f observations per CPU-second; FR's threads %.2f CPU-s, %.0f ns per"
            + " observation%n",
        workload.observations(),
        wall,
        rate,
        process,
        process / wall,
        CpuMeter.cores(),
        workload.observations() / process,
        fr,
        fr * 1e9 / workload.observations());
    int quarter = Math.max(1, requests.size() / 4);
    out.printf(
        "  first quarter of the calls %,.0f observations/s, last quarter %,.0f; call latency"
            + " median %.1f ms, 99th percentile %.1f ms, max %.1f ms%n",
        calls.rate(0, quarter, OperatorWorkload.OBSERVATIONS_PER_DEPOSIT),
        calls.rate(
            requests.size() - quarter, requests.size(), OperatorWorkload.OBSERVATIONS_PER_DEPOSIT),
        calls.latencyMillis(0.5),
        calls.latencyMillis(0.99),
        calls.latencyMillis(1.0));
    summary.add(
        String.format(
            Locale.ROOT,
            "deposit: %,.0f observations/s (%,d observations, %,d per call, %d in flight), %,.0f"
                + " per CPU-second of the process; load average at the start %s",
            rate,
            workload.observations(),
            OperatorWorkload.OBSERVATIONS_PER_DEPOSIT,
            depositStreams,
            workload.observations() / process,
            load));
  }

  // ---- matching

  private void restart(int matchingThreads, boolean backgroundWork) throws Exception {
    federation.stopNode(NODE);
    long t0 = System.nanoTime();
    node = federation.startNode(NODE, ioThreads, operatorMode(matchingThreads), backgroundWork);
    double s = (System.nanoTime() - t0) / 1e9;
    long held = node.store().inReadTransaction(c -> new OperatorTables(c).observationCount());
    out.printf(
        "%nnode FR restarted with matching.threads %d, background work %s: loaded %,d"
            + " observations into its index in %.1f s (%,.0f per second, with the node's start)%n",
        matchingThreads, backgroundWork ? "on" : "off", held, s, held / s);
  }

  private void match(int matchingThreads) throws Exception {
    ManagedChannel peer = federation.channel(NODE, ORIGIN, clientLoop);
    String load = loadAverage();
    out.printf(
        "%nmatch: %d matching thread(s); %d warm-up + %d measured rounds of %d batches of %,d keys"
            + " against %,d observations (load average %s)%n",
        matchingThreads, warmupRounds, rounds, batchesPerRound, keysPerBatch, observations, load);
    List<Round> measured = new ArrayList<>();
    try (Matcher engine = Matcher.create(matchingThreads, ProbeMode.DIRECT, RiskModel.DEFAULT)) {
      for (int r = 0; r < warmupRounds + rounds; r++) {
        Round round = round(peer, engine);
        boolean warm = r < warmupRounds;
        if (!warm) {
          measured.add(round);
        }
        out.printf(
            "  %s %d: node %.1f M RPIs/s (%.2f CPU-s, GC pauses %d ms), engine alone %.1f M"
                + " (%.2f CPU-s, GC pauses %d ms), derive only %.1f M; node = %.1f %% of the"
                + " engine%n",
            warm ? "warm-up" : "round",
            warm ? r + 1 : r - warmupRounds + 1,
            round.rpis / round.nodeSeconds / 1e6,
            round.nodeCpu,
            round.nodeGcMillis,
            round.rpis / round.engineSeconds / 1e6,
            round.engineCpu,
            round.engineGcMillis,
            round.rpis / round.deriveSeconds / 1e6,
            100 * round.engineSeconds / round.nodeSeconds);
      }
    }
    report(matchingThreads, measured, load);
  }

  /** One round's figures; seconds are wall clock, CPU is the whole process's. */
  private static final class Round {
    long rpis;
    double nodeSeconds;
    double nodeCpu;
    long nodeGcMillis;
    double engineSeconds;
    double engineCpu;
    long engineGcMillis;
    double deriveSeconds;
    double readSeconds;
    double parseSeconds;
    double keyBatchSeconds;
  }

  private Round round(ManagedChannel peer, Matcher engine) throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < batchesPerRound; i++) {
      ids.add(nextBatch + i);
    }
    push(peer, ids);
    final long cursor = node.store().inReadTransaction(c -> new OperatorTables(c).matchCursor());
    Round r = new Round();
    timeNode(ids.size(), r);
    nextBatch += ids.size();
    timeEngine(engine, ids, r);
    stages(cursor, ids.size(), r);
    return r;
  }

  /** Times {@link Node#matchStored()}: the node reads, parses, matches and commits the batches. */
  private void timeNode(int batches, Round r) {
    long gc = gcMillis();
    CpuMeter.Snapshot before = meter.snapshot();
    int matched = node.matchStored();
    CpuMeter.Snapshot after = meter.snapshot();
    r.nodeGcMillis = gcMillis() - gc;
    if (matched != batches) {
      throw new IllegalStateException(
          "the node matched " + matched + " batches, " + batches + " were pushed");
    }
    r.nodeSeconds = (after.wallNanos() - before.wallNanos()) / 1e9;
    r.nodeCpu = CpuMeter.seconds(before, after).get("process");
  }

  /** Times the engine alone on the same keys, then its derivation alone, and checks its results. */
  private void timeEngine(Matcher engine, List<Integer> ids, Round r) {
    List<MatchResult> results = new ArrayList<>();
    long gc = gcMillis();
    CpuMeter.Snapshot before = meter.snapshot();
    for (int id : ids) {
      results.add(engine.match(workload.index(), workload.batches().get(id).keys()));
    }
    CpuMeter.Snapshot after = meter.snapshot();
    r.engineGcMillis = gcMillis() - gc;
    r.engineSeconds = (after.wallNanos() - before.wallNanos()) / 1e9;
    r.engineCpu = CpuMeter.seconds(before, after).get("process");
    long t0 = System.nanoTime();
    for (int id : ids) {
      engine.deriveOnly(workload.batches().get(id).keys());
    }
    r.deriveSeconds = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < ids.size(); i++) {
      workload.checkEngine(ids.get(i), results.get(i));
      r.rpis += workload.batches().get(ids.get(i)).rpis();
    }
  }

  /** Milliseconds the collectors have spent so far (their pauses, on the default G1 collector). */
  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  /**
   * The node's steps around the engine, timed again on this thread: reading the round's stored
   * batches (one query, as the node reads a page of up to 16), parsing them, and building the
   * engine's key columns. What the node took beyond these and the engine is its commit and the
   * rest.
   */
  private void stages(long cursor, int batches, Round r) throws InvalidProtocolBufferException {
    long t0 = System.nanoTime();
    Store.Page page = node.store().batchesWithKeysAfter(cursor, batches);
    long t1 = System.nanoTime();
    List<DiagnosisKeyBatch> parsed = new ArrayList<>();
    for (StoredBatch b : page.batches()) {
      parsed.add(DiagnosisKeyBatch.parseFrom(b.payload()));
    }
    long t2 = System.nanoTime();
    long keys = 0;
    for (DiagnosisKeyBatch b : parsed) {
      keys += KeyBatch.fromProto(b.getKeysList()).size();
    }
    long t3 = System.nanoTime();
    if (page.batches().size() != batches || keys != (long) batches * keysPerBatch) {
      throw new IllegalStateException("the stage profile read other batches than the round's");
    }
    r.readSeconds = (t1 - t0) / 1e9;
    r.parseSeconds = (t2 - t1) / 1e9;
    r.keyBatchSeconds = (t3 - t2) / 1e9;
  }

  private void report(int matchingThreads, List<Round> measured, String load) {
    double node = median(measured, r -> r.rpis / r.nodeSeconds);
    double engine = median(measured, r -> r.rpis / r.engineSeconds);
    double derive = median(measured, r -> r.rpis / r.deriveSeconds);
    double rpis = measured.stream().mapToDouble(r -> r.rpis).sum();
    // the process's CPU time comes in 10 ms ticks: summed over the rounds, not per round
    double nodePerCpu = rpis / measured.stream().mapToDouble(r -> r.nodeCpu).sum();
    double enginePerCpu = rpis / measured.stream().mapToDouble(r -> r.engineCpu).sum();
    double share = median(measured, r -> r.engineSeconds / r.nodeSeconds);
    double batches = batchesPerRound;
    double nodeMs = median(measured, r -> r.nodeSeconds) * 1e3 / batches;
    double engineMs = median(measured, r -> r.engineSeconds) * 1e3 / batches;
    double readMs = median(measured, r -> r.readSeconds) * 1e3 / batches;
    double parseMs = median(measured, r -> r.parseSeconds) * 1e3 / batches;
    double keyBatchMs = median(measured, r -> r.keyBatchSeconds) * 1e3 / batches;
    double restMs =
        median(
                measured,
                r ->
                    r.nodeSeconds
                        - r.engineSeconds
                        - r.readSeconds
                        - r.parseSeconds
                        - r.keyBatchSeconds)
            * 1e3
            / batches;
    out.printf(
        "  median of %d rounds: node %,.0f RPIs/s (%,.0f per matching thread, %,.0f per"
            + " CPU-second of the process); engine alone %,.0f RPIs/s (%,.0f per CPU-second);"
            + " derive only %,.0f RPIs/s; the node reaches %.1f %% of the engine alone (its"
            + " overhead is %.1f %% of the engine's time)%n",
        measured.size(),
        node,
        node / matchingThreads,
        nodePerCpu,
        engine,
        enginePerCpu,
        derive,
        100 * share,
        100 * (1 / share - 1));
    out.printf(
        "  per batch of %,d keys: node %.2f ms = engine %.2f ms + store read %.2f ms + parse"
            + " %.2f ms + key columns %.2f ms + commit and the rest %.2f ms (medians; read,"
            + " parse and key columns timed apart on the same batches, the rest is what is left"
            + " of the node's time); GC pauses %.2f ms per batch in the node's rounds, %.2f in"
            + " the engine's%n",
        keysPerBatch,
        nodeMs,
        engineMs,
        readMs,
        parseMs,
        keyBatchMs,
        restMs,
        median(measured, r -> r.nodeGcMillis) / batches,
        median(measured, r -> r.engineGcMillis) / batches);
    summary.add(
        String.format(
            Locale.ROOT,
            "match, %,d observations, %d thread(s): node %,.0f RPIs/s (%,.0f per thread, %,.0f per"
                + " CPU-second), engine alone %,.0f (%,.0f per CPU-second), derive only %,.0f;"
                + " node/engine %.1f %%; per batch node %.2f ms, engine %.2f ms, read %.2f, parse"
                + " %.2f, key columns %.2f; load average %s",
            observations,
            matchingThreads,
            node,
            node / matchingThreads,
            nodePerCpu,
            engine,
            enginePerCpu,
            derive,
            100 * share,
            nodeMs,
            engineMs,
            readMs,
            parseMs,
            keyBatchMs,
            load));
  }

  @FunctionalInterface
  private interface Figure {
    double of(Round r);
  }

  private static double median(List<Round> rounds, Figure f) {
    double[] v = rounds.stream().mapToDouble(f::of).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Pushes the batches {@code ids} from DE, two calls in flight; returns after every answer. */
  private void push(ManagedChannel peer, List<Integer> ids) throws InterruptedException {
    List<byte[]> requests = ids.stream().map(i -> workload.batches().get(i).request()).toList();
    send(peer, requests, 2, RawRequests::publish, (PublishBatchResponse r) -> !r.getDuplicate());
  }

  // ---- latency

  private void latency() throws Exception {
    ManagedChannel peer = federation.channel(NODE, ORIGIN, clientLoop);
    OperatorMatchingGrpc.OperatorMatchingBlockingStub backend =
        OperatorMatchingGrpc.newBlockingStub(federation.channel(NODE, NODE, clientLoop));
    String load = loadAverage();
    out.printf(
        "%nlatency: %d batches pushed one at a time to FR, which matches on its own; the backend"
            + " polls GetExposures (load average %s)%n",
        latencyBatches, load);
    long[] nanos = new long[latencyBatches];
    long polls = 0;
    for (int i = 0; i < latencyBatches; i++) {
      int id = nextBatch;
      int device = workload.expectedOf(id).get(0).device();
      int before = exposures(backend, device).size();
      push(peer, List.of(id));
      long acknowledged = System.nanoTime();
      long deadline = acknowledged + TimeUnit.SECONDS.toNanos(60);
      while (exposures(backend, device).size() == before) {
        polls++;
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("batch " + id + " was not matched within 60 s");
        }
        LockSupport.parkNanos(200_000);
      }
      nanos[i] = System.nanoTime() - acknowledged;
      nextBatch++;
    }
    Arrays.sort(nanos);
    long rpis = workload.batches().get(0).rpis();
    double median = nanos[latencyBatches / 2] / 1e9;
    out.printf(
        "  acknowledgement to exposure: median %.1f ms, min %.1f ms, max %.1f ms (%d polls in"
            + " all): %,.0f RPIs/s at the median%n",
        median * 1e3, nanos[0] / 1e6, nanos[latencyBatches - 1] / 1e6, polls, rpis / median);
    summary.add(
        String.format(
            Locale.ROOT,
            "latency, %d thread(s): acknowledgement to exposure median %.1f ms, max %.1f ms for a"
                + " batch of %,d keys: %,.0f RPIs/s; load average %s",
            threads.get(threads.size() - 1),
            median * 1e3,
            nanos[latencyBatches - 1] / 1e6,
            keysPerBatch,
            rpis / median,
            load));
  }

  private List<Exposure> exposures(
      OperatorMatchingGrpc.OperatorMatchingBlockingStub backend, int device) {
    return backend
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExposures(
            GetExposuresRequest.newBuilder()
                .setDeviceKey(ByteString.copyFrom(workload.deviceKeys().get(device)))
                .build())
        .getExposuresList();
  }

  // ---- check

  private void check() throws Exception {
    OperatorMatchingGrpc.OperatorMatchingBlockingStub backend =
        OperatorMatchingGrpc.newBlockingStub(federation.channel(NODE, NODE, clientLoop));
    long found = 0;
    for (int d = 0; d < workload.deviceKeys().size(); d++) {
      List<String> seen = new ArrayList<>();
      for (Exposure e : exposures(backend, d)) {
        seen.add(
            OperatorWorkload.exposure(e.getOrigin(), e.getIntervalsList(), e.getDurationSeconds()));
      }
      workload.checkDevice(d, nextBatch, seen);
      found += seen.size();
    }
    long planted = workload.expected().stream().filter(x -> x.batch() < nextBatch).count();
    out.printf(
        "%ncheck: GetExposures of all %,d devices answered %,d exposures, exactly the %,d planted"
            + " in the %d batches pushed (and none of the decoys); the engine alone found the"
            + " same in every round%n",
        workload.deviceKeys().size(), found, planted, nextBatch);
  }

  // ---- calls

  /** Sends one serialized request on a channel. */
  @FunctionalInterface
  private interface Sender<R> {
    void send(Channel channel, byte[] request, StreamObserver<R> out);
  }

  /** Start and end times of calls, by request. */
  private record Calls(long[] starts, long[] ends) {
    /** Units per second from the start of call {@code from} to the end of call {@code to - 1}. */
    double rate(int from, int to, long unitsPerCall) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        first = Math.min(first, starts[i]);
        last = Math.max(last, ends[i]);
      }
      return (to - from) * unitsPerCall / ((last - first) / 1e9);
    }

    double latencyMillis(double percentile) {
      long[] l = new long[starts.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = ends[i] - starts[i];
      }
      Arrays.sort(l);
      int i = (int) Math.min(l.length - 1, Math.ceil(percentile * l.length) - 1);
      return l[Math.max(0, i)] / 1e6;
    }
  }

  /**
   * Sends every request, {@code inFlight} calls at a time, and waits for every answer; each answer
   * must pass {@code good}.
   */
  private static <R> Calls send(
      Channel channel, List<byte[]> requests, int inFlight, Sender<R> sender, Predicate<R> good)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] starts = new long[requests.size()];
    long[] ends = new long[requests.size()];
    for (int i = 0; i < requests.size() && failure.get() == null; i++) {
      slots.acquire();
      int n = i;
      starts[n] = System.nanoTime();
      sender.send(
          channel,
          requests.get(n),
          new StreamObserver<>() {
            @Override
            public void onNext(R r) {
              if (!good.test(r)) {
                failure.compareAndSet(null, new IllegalStateException("unexpected answer " + r));
              }
            }

            @Override
            public void onError(Throwable t) {
              failure.compareAndSet(null, t);
              slots.release();
            }

            @Override
            public void onCompleted() {
              ends[n] = System.nanoTime();
              slots.release();
            }
          });
    }
    slots.acquire(inFlight);
    slots.release(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException(
          "a call failed: " + Status.fromThrowable(failure.get()), failure.get());
    }
    return new Calls(starts, ends);
  }
}
