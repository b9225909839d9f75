package org.fedtrace.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The figures of the match phase on one thread count, over its measured rounds: medians of the
 * node's, the engine's and derivation's rates, rates per CPU-second, and the node's time per batch
 * split into the engine and the node's own steps.
 */
final class MatchReport {
  /** One figure of a round. */
  @FunctionalInterface
  private interface Figure {
    double of(MatchRound r);
  }

  private final PrintStream out;
  private final OperatorMatchingOptions options;

  MatchReport(PrintStream out, OperatorMatchingOptions options) {
    this.out = out;
    this.options = options;
  }

  /**
   * Prints the figures of {@code measured}, rounds on {@code matchingThreads} threads begun at load
   * average {@code load}, and returns the summary line.
   */
  String report(int matchingThreads, List<MatchRound> measured, String load) {
    double node = median(measured, r -> r.rpis / r.nodeSeconds);
    double engine = median(measured, r -> r.rpis / r.engineSeconds);
    double derive = median(measured, r -> r.rpis / r.deriveSeconds);
    double rpis = measured.stream().mapToDouble(r -> r.rpis).sum();
    // the process's CPU time comes in 10 ms ticks: summed over the rounds, not per round
    double nodePerCpu = rpis / measured.stream().mapToDouble(r -> r.nodeCpu).sum();
    double enginePerCpu = rpis / measured.stream().mapToDouble(r -> r.engineCpu).sum();
    double share = median(measured, r -> r.engineSeconds / r.nodeSeconds);
    double batches = options.batchesPerRound();
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
        options.keysPerBatch(),
        nodeMs,
        engineMs,
        readMs,
        parseMs,
        keyBatchMs,
        restMs,
        median(measured, r -> r.nodeGcMillis) / batches,
        median(measured, r -> r.engineGcMillis) / batches);
    return String.format(
        Locale.ROOT,
        "match, %,d observations, %d thread(s): node %,.0f RPIs/s (%,.0f per thread, %,.0f per"
            + " CPU-second), engine alone %,.0f (%,.0f per CPU-second), derive only %,.0f;"
            + " node/engine %.1f %%; per batch node %.2f ms, engine %.2f ms, read %.2f, parse"
            + " %.2f, key columns %.2f; load average %s",
        options.observations(),
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
        load);
  }

  private static double median(List<MatchRound> rounds, Figure f) {
    double[] v = rounds.stream().mapToDouble(f::of).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
