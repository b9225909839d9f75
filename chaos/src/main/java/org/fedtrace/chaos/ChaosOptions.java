package org.fedtrace.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The harness's command line.
 *
 * @param rounds rounds to run at most (one fault each)
 * @param seed the seed of every random choice (faults, victims, timing, keys)
 * @param nodes node processes, fully meshed
 * @param budget time after which no new round starts; zero for none
 * @param faults the kinds of fault the rounds take turns with
 * @param jar the runnable jar the nodes run from
 * @param keep keep the run's folder (node logs, stores) even when every check passed
 */
record ChaosOptions(
    int rounds,
    long seed,
    int nodes,
    Duration budget,
    Set<FaultKind> faults,
    Path jar,
    boolean keep) {
  static final String USAGE =
      """
      Usage: chaos/run [--rounds N] [--seconds N | --minutes N] [--seed N] [--nodes N]
                       [--faults kill,disk,damage,partition,skew] [--jar FILE] [--keep]

      Starts N fully meshed fedtrace nodes (default 3) as processes of the runnable jar, loads them
      with uploads and pulls, and runs rounds of one fault each: kill -9, disk full (a tmpfs per
      node; needs root), damaged or deleted store, partition (a TCP proxy on every peer link) and
      clock skew (libfaketime, within the spec's 300 s). After each round it checks what the nodes
      acknowledged from the outside. Prints a line per round and a summary; exits 0 when every
      invariant held, 1 when one failed, 2 on bad usage.

        --rounds N     rounds at most (default 10; unlimited when a time is given alone)
        --seconds N    start no round after N seconds (also --minutes N)
        --seed N       seed of every random choice (default: a new one, printed)
        --nodes N      node processes, 2 to 8 (default 3)
        --faults LIST  the fault kinds the rounds take turns with (default all)
        --jar FILE     the runnable jar (default cli/target/fedtrace.jar)
        --keep         keep the run's folder even when every check passed
      """;

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException saying which argument is wrong
   */
  static ChaosOptions parse(String[] args) {
    Integer rounds = null;
    long seed = System.nanoTime() & 0xFFFF_FFFFL;
    int nodes = 3;
    Duration budget = Duration.ZERO;
    Set<FaultKind> faults = EnumSet.allOf(FaultKind.class);
    Path jar = Path.of("cli/target/fedtrace.jar");
    boolean keep = false;
    List<String> a = new ArrayList<>(List.of(args));
    while (!a.isEmpty()) {
      String option = a.remove(0);
      switch (option) {
        case "--rounds" -> rounds = positive(option, value(option, a));
        case "--seconds" -> budget = Duration.ofSeconds(positive(option, value(option, a)));
        case "--minutes" -> budget = Duration.ofMinutes(positive(option, value(option, a)));
        case "--seed" -> seed = Long.parseLong(value(option, a));
        case "--nodes" -> nodes = positive(option, value(option, a));
        case "--faults" -> faults = faults(value(option, a));
        case "--jar" -> jar = Path.of(value(option, a));
        case "--keep" -> keep = true;
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (nodes < 2 || nodes > Cluster.COUNTRIES.size()) {
      throw new IllegalArgumentException(
          "--nodes: 2 to " + Cluster.COUNTRIES.size() + ", not " + nodes);
    }
    if (rounds == null) {
      rounds = budget.isZero() ? 10 : Integer.MAX_VALUE;
    }
    return new ChaosOptions(rounds, seed, nodes, budget, faults, jar, keep);
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.remove(0);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, not " + value);
  }

  private static Set<FaultKind> faults(String list) {
    Set<FaultKind> out = EnumSet.noneOf(FaultKind.class);
    for (String name : list.split(",")) {
      out.add(FaultKind.parse(name.trim()));
    }
    return out;
  }
}
