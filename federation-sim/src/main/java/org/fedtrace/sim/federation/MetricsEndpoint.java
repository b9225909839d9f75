package org.fedtrace.sim.federation;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Reads a node process's Prometheus endpoint on the loopback address. */
final class MetricsEndpoint {
  private static final String BATCH_BYTES = "fedtrace_batch_bytes_total";

  private MetricsEndpoint() {}

  /** The node's {@code fedtrace_batch_bytes_total}, both directions. */
  static long batchBytes(int port) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    http.setConnectTimeout(10_000);
    http.setReadTimeout(10_000);
    try (InputStream in = http.getInputStream()) {
      return batchBytes(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      http.disconnect();
    }
  }

  /**
   * Sums the samples of {@code fedtrace_batch_bytes_total} (every label set) in a Prometheus text
   * exposition: lines {@code name{labels} value [timestamp]}.
   */
  static long batchBytes(String exposition) {
    double total = 0;
    for (String line : exposition.split("\n")) {
      boolean labelled = line.startsWith(BATCH_BYTES + "{");
      if (labelled || line.startsWith(BATCH_BYTES + " ")) {
        String rest = labelled ? line.substring(line.indexOf('}') + 1) : line;
        String[] fields = rest.trim().split("\\s+");
        total += Double.parseDouble(fields[labelled ? 0 : 1]);
      }
    }
    return (long) total;
  }
}
