package org.fedtrace.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The options of {@link NodeIngestBenchmark}, read once from the command line: the workload's size,
 * how many calls and connections carry it, which phases run and where the nodes keep their files.
 */
final class NodeIngestOptions {
  /** The text {@code --help} prints, with every option's default. */
  static final String USAGE =
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
          "  --dir DIR           keep the nodes' files in DIR (default: a temporary folder)",
          "  --stores LIST       store engines the receiving nodes run on, one after the other,",
          "                      of sqlite,postgresql (default: both)",
          "  --postgres-url URL  a PostgreSQL server's jdbc:postgresql://host:port/ (default: an",
          "                      embedded server started on this machine); each engine run gets",
          "                      new databases on it",
          "  --postgres-user U   its role (default postgres), with CREATE DATABASE",
          "  --postgres-password-file F  a file holding the role's password");

  private int keys = 5_000_000;
  private int batchSize = 10_000;
  private int streams = 4;
  private int connections = 2;
  private int warmupSeconds = 20;
  private int ioThreads = 2;
  private List<String> phases = List.of("limit", "ingest", "pull", "sync", "stages");
  private Path dir;
  private boolean unsorted;
  private List<String> stores = List.of("sqlite", "postgresql");
  private String postgresUrl;
  private String postgresUser = "postgres";
  private Path postgresPasswordFile;

  private NodeIngestOptions() {}

  /**
   * The options {@code args} give, the defaults for the others; {@code --help} prints {@link
   * #USAGE} and exits.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is invalid
   */
  static NodeIngestOptions parse(String[] args) {
    NodeIngestOptions o = new NodeIngestOptions();
    HarnessArgs.parse(args, USAGE, Set.of("--unsorted"), o::set);
    if (o.batchSize > 10_000) {
      throw new IllegalArgumentException("--batch-size is at most 10000 (R8.3)");
    }
    return o;
  }

  private void set(String name, String v) {
    switch (name) {
      case "--keys" -> keys = HarnessArgs.positive(name, v);
      case "--batch-size" -> batchSize = HarnessArgs.positive(name, v);
      case "--streams" -> streams = HarnessArgs.positive(name, v);
      case "--connections" -> connections = HarnessArgs.positive(name, v);
      case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(v);
      case "--io-threads" -> ioThreads = HarnessArgs.positive(name, v);
      case "--phases" -> phases = List.of(v.split(","));
      case "--dir" -> dir = Path.of(v);
      case "--unsorted" -> unsorted = true;
      case "--stores" -> stores = stores(v);
      case "--postgres-url" -> postgresUrl = v;
      case "--postgres-user" -> postgresUser = v;
      case "--postgres-password-file" -> postgresPasswordFile = Path.of(v);
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private static List<String> stores(String v) {
    List<String> out = List.of(v.split(","));
    for (String s : out) {
      if (!s.equals("sqlite") && !s.equals("postgresql")) {
        throw new IllegalArgumentException("--stores: expected sqlite or postgresql, got " + s);
      }
    }
    return out;
  }

  /** The store engines the receiving nodes run on, in order. */
  List<String> stores() {
    return stores;
  }

  /** A PostgreSQL server's base URL, or null for an embedded one. */
  String postgresUrl() {
    return postgresUrl;
  }

  /** The PostgreSQL role. */
  String postgresUser() {
    return postgresUser;
  }

  /** A file holding the role's password, or null. */
  Path postgresPasswordFile() {
    return postgresPasswordFile;
  }

  /** Keys in the measured batches. */
  int keys() {
    return keys;
  }

  /** Keys per batch. */
  int batchSize() {
    return batchSize;
  }

  /** PublishBatch calls in flight. */
  int streams() {
    return streams;
  }

  /** Client connections the calls share. */
  int connections() {
    return connections;
  }

  /** Seconds of warm-up before the measured push. */
  int warmupSeconds() {
    return warmupSeconds;
  }

  /** Server event-loop threads per node. */
  int ioThreads() {
    return ioThreads;
  }

  /** Whether {@code phase} (limit, ingest, pull, sync or stages) runs. */
  boolean runs(String phase) {
    return phases.contains(phase);
  }

  /** The folder for the nodes' files, or null for a temporary one. */
  Path dir() {
    return dir;
  }

  /** Whether the keys are in random order instead of sorted (R8.32). */
  boolean unsorted() {
    return unsorted;
  }
}
