package org.fedtrace.sim.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The parts of {@link ProcessFederation} that need no node process (the end-to-end test, which
 * starts {@code fedtrace node} processes, is in the cli module: SimulateProcessesTest).
 */
class ProcessFederationTest {
  @Test
  void trafficIsTheSumOfTheBatchBytesCounterInBothDirections() {
    String exposition =
        String.join(
            "\n",
            "# HELP fedtrace_batch_bytes_total Serialized bytes of batches received from and"
                + " delivered to peers",
            "# TYPE fedtrace_batch_bytes_total counter",
            "fedtrace_batch_bytes_total{direction=\"in\"} 2048.0",
            "fedtrace_batch_bytes_total{direction=\"out\"} 1.5E3 1700000000000",
            "fedtrace_batch_bytes_created{direction=\"in\"} 1.7E9",
            "fedtrace_batches_total{direction=\"in\",outcome=\"stored\",peer=\"NL\",rule=\"\"} 9.0",
            "");

    assertEquals(3548, MetricsEndpoint.batchBytes(exposition));
    assertEquals(0, MetricsEndpoint.batchBytes("# TYPE fedtrace_batch_bytes_total counter\n"));
  }
}
