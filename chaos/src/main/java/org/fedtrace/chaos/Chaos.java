package org.fedtrace.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chaos harness's entry point ({@code chaos/run}): starts the cluster and the load, runs the
 * rounds (a fault, the recovery, the checks), prints a line per round and the summary, and exits 0
 * when every invariant held, 1 when one failed, 2 on bad usage.
 */
public final class Chaos {

  private final ChaosOptions options;
  private final PrintStream out = System.out;
  private final Tally tally = new Tally();
  private final long started = System.nanoTime();

  private Chaos(ChaosOptions options) {
    this.options = options;
  }

  /** Runs the harness; see {@link ChaosOptions#USAGE}. */
  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(ChaosOptions.USAGE);
      return;
    }
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    System.exit(new Chaos(options).run());
  }

  private int run() throws IOException, InterruptedException {
    if (!Files.isRegularFile(options.jar())) {
      System.err.println("chaos: no runnable jar at " + options.jar() + " (./fedtrace builds it)");
      return 2;
    }
    Set<FaultKind> kinds = runnable(options.faults());
    if (kinds.isEmpty()) {
      System.err.println("chaos: none of the chosen faults can run here");
      return 1;
    }
    Path root = Files.createTempDirectory("fedtrace-chaos-");
    out.printf(
        "chaos: seed %d, %d nodes, faults %s, %s; run folder %s%n",
        options.seed(),
        options.nodes(),
        kinds.stream().map(FaultKind::option).collect(Collectors.joining(",")),
        machine(),
        root);
    Random random = new Random(options.seed());
    List<FaultKind> order = new ArrayList<>(kinds);
    Collections.shuffle(order, random);
    Load load = null;
    try (Cluster cluster =
        new Cluster(root, options.nodes(), options.jar(), kinds.contains(FaultKind.DISK_FULL))) {
      for (NodeProcess n : cluster.nodes()) {
        n.start(0);
      }
      out.printf(
          "chaos: nodes listening: %s%n",
          cluster.nodes().stream()
              .map(n -> n.country() + " :" + n.port())
              .collect(Collectors.joining(", ")));
      Ledger ledger = new Ledger();
      Inspector inspector = new Inspector(cluster, ledger, options.seed());
      load = new Load(cluster, ledger, options.seed());
      Rounds rounds = new Rounds(cluster, ledger, inspector, load, new Faults(cluster, random));
      for (long until = System.nanoTime() + 30_000_000_000L;
          ledger.uploads() < 5 * options.nodes() && System.nanoTime() < until; ) {
        NodeProcess.sleep(100); // the load warms up
      }
      List<String> baselineFailures = new ArrayList<>();
      Tally.Check baseline = rounds.settleAndCheck(baselineFailures);
      baselineFailures.forEach(f -> tally.failure("before the first fault: " + f));
      baselineFailures.forEach(f -> out.println("chaos: *** before the first fault: " + f));
      out.printf(
          "chaos: under load, %d uploads and %d batches acknowledged before the first fault%n",
          baseline.uploads(), baseline.batches());
      for (int round = 1; round <= options.rounds() && withinBudget(); round++) {
        FaultKind kind = order.get((round - 1) % order.size());
        NodeProcess victim = cluster.nodes().get(random.nextInt(options.nodes()));
        rounds.run(round, kind, victim, tally, out, options.rounds());
      }
      load.close();
    } catch (RuntimeException e) {
      tally.failure("the harness stopped: " + e);
      e.printStackTrace(out);
    } finally {
      if (load != null) {
        load.close();
      }
    }
    tally.print(
        out,
        options,
        Duration.ofNanos(System.nanoTime() - started),
        load == null ? java.util.Map.of() : load.refusals());
    if (!tally.passed()) {
      out.println("\nchaos: FAILED:");
      tally.failures().forEach(f -> out.println("  - " + f));
      out.println("chaos: the run's folder (node logs, stores) is kept: " + root);
      return 1;
    }
    if (options.keep()) {
      out.println("chaos: the run's folder is kept: " + root);
    } else {
      delete(root);
    }
    return 0;
  }

  private boolean withinBudget() {
    return options.budget().isZero() || System.nanoTime() - started < options.budget().toNanos();
  }

  /** The chosen kinds that can run here; says loudly which cannot, and why. */
  private Set<FaultKind> runnable(Set<FaultKind> chosen) {
    Set<FaultKind> kinds = EnumSet.copyOf(chosen);
    if (kinds.contains(FaultKind.DISK_FULL) && !canMount()) {
      System.err.println(
          "chaos: *** the disk-full fault CANNOT RUN: it mounts a "
              + Cluster.TMPFS_SIZE
              + " tmpfs per node, which needs root allowed to mount (a container may forbid it);"
              + " the rounds leave it out ***");
      kinds.remove(FaultKind.DISK_FULL);
    }
    if (kinds.contains(FaultKind.SKEW) && !Files.isRegularFile(NodeProcess.FAKETIME)) {
      System.err.println(
          "chaos: *** the clock-skew fault CANNOT RUN: no libfaketime at "
              + NodeProcess.FAKETIME
              + " (Debian's libfaketime); the rounds leave it out ***");
      kinds.remove(FaultKind.SKEW);
    }
    return kinds;
  }

  /** Whether this process may mount a tmpfs: it tries one, then unmounts it. */
  private static boolean canMount() {
    Path probe = null;
    try {
      probe = Files.createTempDirectory("fedtrace-chaos-mount-");
      if (!succeeds("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString())) {
        return false;
      }
      return succeeds("umount", probe.toString());
    } catch (IOException e) {
      return false;
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // left in the temporary folder; harmless
        }
      }
    }
  }

  private static boolean succeeds(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The machine's state, for the record: cores and load average. */
  private static String machine() {
    String load = "";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      load = "?";
    }
    return Runtime.getRuntime().availableProcessors() + " cores, load average " + load;
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
