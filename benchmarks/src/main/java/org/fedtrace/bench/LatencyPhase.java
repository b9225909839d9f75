package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The latency phase of the matching benchmark: batches pushed one at a time to a node matching on
 * its own, and the time from each batch's acknowledgement until GetExposures answers the exposure
 * it brings to one of the workload's devices.
 */
final class LatencyPhase {
  private final PrintStream out;
  private final OperatorMatchingOptions options;
  private final OperatorWorkload workload;
  private final BatchFeed feed;

  LatencyPhase(
      PrintStream out, OperatorMatchingOptions options, OperatorWorkload workload, BatchFeed feed) {
    this.out = out;
    this.options = options;
    this.workload = workload;
    this.feed = feed;
  }

  /**
   * Pushes the phase's batches on {@code peer}, polls {@code backend} until each is matched, prints
   * the latencies and returns the summary line.
   */
  String run(ManagedChannel peer, Backend backend) throws Exception {
    int latencyBatches = options.latencyBatches();
    String load = MachineLoad.loadAverage();
    out.printf(
        "%nlatency: %d batches pushed one at a time to FR, which matches on its own; the backend"
            + " polls GetExposures (load average %s)%n",
        latencyBatches, load);
    long[] nanos = new long[latencyBatches];
    long polls = 0;
    for (int i = 0; i < latencyBatches; i++) {
      int id = feed.next();
      int device = workload.expectedOf(id).get(0).device();
      int before = backend.exposures(device).size();
      feed.pushNext(peer, 1);
      long acknowledged = System.nanoTime();
      long deadline = acknowledged + TimeUnit.SECONDS.toNanos(60);
      while (backend.exposures(device).size() == before) {
        polls++;
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("batch " + id + " was not matched within 60 s");
        }
        LockSupport.parkNanos(200_000);
      }
      nanos[i] = System.nanoTime() - acknowledged;
    }
    Arrays.sort(nanos);
    long rpis = workload.batches().get(0).rpis();
    double median = nanos[latencyBatches / 2] / 1e9;
    out.printf(
        "  acknowledgement to exposure: median %.1f ms, min %.1f ms, max %.1f ms (%d polls in"
            + " all): %,.0f RPIs/s at the median%n",
        median * 1e3, nanos[0] / 1e6, nanos[latencyBatches - 1] / 1e6, polls, rpis / median);
    List<Integer> threads = options.threads();
    return String.format(
        Locale.ROOT,
        "latency, %d thread(s): acknowledgement to exposure median %.1f ms, max %.1f ms for a"
            + " batch of %,d keys: %,.0f RPIs/s; load average %s",
        threads.get(threads.size() - 1),
        median * 1e3,
        nanos[latencyBatches - 1] / 1e6,
        options.keysPerBatch(),
        rpis / median,
        load);
  }
}
