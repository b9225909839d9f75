package org.fedtrace.bench;

import java.io.PrintStream;
import java.util.Map;

/**
 * The figures of one phase of the ingest benchmark, measured around the phase and printed after it:
 * keys per second (wall clock), CPU seconds by thread group, keys per CPU-second of the whole
 * process, and the acknowledgement latencies of the phase's last push if it pushed.
 */
final class PhaseReport {
  /** Work of a phase. */
  @FunctionalInterface
  interface Phase {
    void run() throws Exception;
  }

  private final PrintStream out;
  private final CpuMeter meter;
  private final BatchPusher pusher;

  /** Reports on {@code out}; latencies are those {@code pusher} measured during the phase. */
  PhaseReport(PrintStream out, CpuMeter meter, BatchPusher pusher) {
    this.out = out;
    this.meter = meter;
    this.pusher = pusher;
  }

  /**
   * Runs {@code phase}, which handles {@code keyCount} keys, and prints its figures; returns its
   * keys per second.
   */
  double report(String title, long keyCount, Phase phase) throws Exception {
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
    long[] latencies = pusher.takeLatencies();
    if (latencies != null) {
      out.printf(
          "  acknowledgement latency: median %.1f ms, 99th percentile %.1f ms, max %.1f ms%n",
          percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1.0));
    }
    return keyCount / wall;
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
