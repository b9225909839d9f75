package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.fedtrace.node.Node;
import org.fedtrace.proto.v1.DepositObservationsResponse;

/**
 * The deposit phase of the matching benchmark: the node's backend deposits every observation of the
 * workload, a fixed number of DepositObservations calls in flight, each answered after the durable
 * commit; printed as observations per second, per CPU-second and per call.
 */
final class DepositPhase {
  private final PrintStream out;
  private final CpuMeter meter;
  private final OperatorWorkload workload;

  DepositPhase(PrintStream out, CpuMeter meter, OperatorWorkload workload) {
    this.out = out;
    this.meter = meter;
    this.workload = workload;
  }

  /**
   * Deposits every observation in {@code node} through {@code backend}, {@code streams} calls in
   * flight, checks that the node holds them all, prints the figures and returns the summary line.
   */
  String run(Node node, ManagedChannel backend, int streams) throws Exception {
    List<byte[]> requests = workload.deposits();
    String load = MachineLoad.loadAverage();
    out.printf(
        "%ndeposit: %,d DepositObservations calls from FR's backend, %d in flight (load average"
            + " %s)%n",
        requests.size(), streams, load);
    long[] stored = new long[1];
    CpuMeter.Snapshot before = meter.snapshot();
    Calls calls =
        Calls.send(
            backend,
            requests,
            streams,
            RawRequests::deposit,
            (DepositObservationsResponse r) -> {
              synchronized (stored) {
                stored[0] += r.getStoredObservations();
              }
              return r.getDuplicateObservations() == 0;
            });
    CpuMeter.Snapshot after = meter.snapshot();
    long held = node.store().read(tx -> tx.operator().observationCount());
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
    printCalls(calls, requests.size());
    return String.format(
        Locale.ROOT,
        "deposit: %,.0f observations/s (%,d observations, %,d per call, %d in flight), %,.0f"
            + " per CPU-second of the process; load average at the start %s",
        rate,
        workload.observations(),
        OperatorWorkload.OBSERVATIONS_PER_DEPOSIT,
        streams,
        workload.observations() / process,
        load);
  }

  /** The rates of the first and last quarter of the calls, and the calls' latencies. */
  private void printCalls(Calls calls, int count) {
    int quarter = Math.max(1, count / 4);
    out.printf(
        "  first quarter of the calls %,.0f observations/s, last quarter %,.0f; call latency"
            + " median %.1f ms, 99th percentile %.1f ms, max %.1f ms%n",
        calls.rate(0, quarter, OperatorWorkload.OBSERVATIONS_PER_DEPOSIT),
        calls.rate(count - quarter, count, OperatorWorkload.OBSERVATIONS_PER_DEPOSIT),
        calls.latencyMillis(0.5),
        calls.latencyMillis(0.99),
        calls.latencyMillis(1.0));
  }
}
