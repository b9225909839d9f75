package org.fedtrace.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The options of {@link OperatorMatchingBenchmark}, read once from the command line: the workload's
 * size and seed, the rounds and thread counts of the match phase, the latency phase's batches, the
 * calls in flight and where the nodes keep their files.
 */
final class OperatorMatchingOptions {
  /** The text {@code --help} prints, with every option's default. */
  static final String USAGE =
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

  private OperatorMatchingOptions() {}

  /** Every option at its default. */
  static OperatorMatchingOptions defaults() {
    return new OperatorMatchingOptions();
  }

  /**
   * The options {@code args} give, the defaults for the others; {@code --help} prints {@link
   * #USAGE} and exits.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is invalid
   */
  static OperatorMatchingOptions parse(String[] args) {
    OperatorMatchingOptions o = new OperatorMatchingOptions();
    HarnessArgs.parse(args, USAGE, Set.of(), o::set);
    if (o.keysPerBatch > 10_000) {
      throw new IllegalArgumentException("--keys-per-batch is at most 10000 (R8.3)");
    }
    if (o.plantedPerBatch > o.keysPerBatch) {
      throw new IllegalArgumentException("--planted-per-batch exceeds --keys-per-batch");
    }
    return o;
  }

  private void set(String name, String v) {
    switch (name) {
      case "--observations" -> observations = HarnessArgs.positive(name, v);
      case "--keys-per-batch" -> keysPerBatch = HarnessArgs.positive(name, v);
      case "--batches-per-round" -> batchesPerRound = HarnessArgs.positive(name, v);
      case "--rounds" -> rounds = HarnessArgs.positive(name, v);
      case "--warmup-rounds" -> warmupRounds = Integer.parseInt(v);
      case "--planted-per-batch" -> plantedPerBatch = HarnessArgs.positive(name, v);
      case "--threads" ->
          threads = Arrays.stream(v.split(",")).map(t -> HarnessArgs.positive(name, t)).toList();
      case "--latency-batches" -> latencyBatches = Integer.parseInt(v);
      case "--deposit-streams" -> depositStreams = HarnessArgs.positive(name, v);
      case "--io-threads" -> ioThreads = HarnessArgs.positive(name, v);
      case "--seed" -> seed = Long.parseLong(v);
      case "--probe-millis" -> probeMillis = Integer.parseInt(v);
      case "--dir" -> dir = Path.of(v);
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  /** Observations deposited. */
  int observations() {
    return observations;
  }

  /** Keys in each pushed batch. */
  int keysPerBatch() {
    return keysPerBatch;
  }

  /** Batches pushed, then matched, per round. */
  int batchesPerRound() {
    return batchesPerRound;
  }

  /** Measured rounds per thread count. */
  int rounds() {
    return rounds;
  }

  /** Rounds before the measured ones, not reported. */
  int warmupRounds() {
    return warmupRounds;
  }

  /** Keys per batch with planted observations. */
  int plantedPerBatch() {
    return plantedPerBatch;
  }

  /** Matching thread counts, in the order they are measured. */
  List<Integer> threads() {
    return threads;
  }

  /** Batches of the latency phase; 0 skips it. */
  int latencyBatches() {
    return latencyBatches;
  }

  /** DepositObservations calls in flight. */
  int depositStreams() {
    return depositStreams;
  }

  /** Server event-loop threads of the node. */
  int ioThreads() {
    return ioThreads;
  }

  /** Seed of the synthetic data. */
  long seed() {
    return seed;
  }

  /** Milliseconds of the busy-loop load probe at start and end; 0 or less skips it. */
  int probeMillis() {
    return probeMillis;
  }

  /** The folder for the nodes' files, or null for a temporary one. */
  Path dir() {
    return dir;
  }
}
