package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard (deploy/grafana) and the Prometheus alerts (deploy/prometheus) name only
 * metrics, labels and label values that a running node serves on its metrics endpoint. The node
 * under test plays every role once (pulls, pushes, creates, receives, refuses, matches in operator
 * mode), so that every series it can serve has a sample. When it fails, a metric or label of
 * NodeMetrics was renamed (update the dashboard, the alerts and the README's table), or the
 * dashboard names one that never existed.
 */
class DashboardMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void theDashboardAndTheAlertsNameOnlyWhatARunningNodeServes() throws Exception {
    MetricReferences served = MetricReferences.served(scrapeABusyNode());
    List<String> problems = new ArrayList<>();
    Map<String, String> exprs = MetricReferences.dashboardExpressions(dashboard());
    exprs.putAll(MetricReferences.ruleExpressions(alerts()));
    exprs.forEach((where, expr) -> problems.addAll(served.problems(where, expr)));
    assertEquals(List.of(), problems, "served: " + new java.util.TreeSet<>(served.names()));
    long named = exprs.values().stream().filter(e -> e.contains("fedtrace_")).count();
    assertTrue(named >= 15, "the files were read: " + named + " expressions name fedtrace metrics");
  }

  @Test
  void theCheckerRefusesARenamedMetricALabelAndAValue() throws IOException {
    MetricReferences served =
        MetricReferences.served(
            "# TYPE fedtrace_batches_total counter\n"
                + "fedtrace_batches_total{peer=\"FR/op-fr\",direction=\"in\",outcome=\"refused\","
                + "rule=\"R8.3\"} 1.0\nfedtrace_subscriptions 0.0\n");
    assertEquals(
        List.of(),
        served.problems(
            "ok",
            "sum by (rule) (rate(fedtrace_batches_total{direction=\"in\",outcome=\"refused\","
                + "instance=~\"$instance\"}[5m])) + fedtrace_subscriptions + up"));
    assertEquals(
        List.of("p: fedtrace_batches_refused_total is not served"),
        served.problems("p", "rate(fedtrace_batches_refused_total[5m])"));
    assertEquals(
        List.of("p: fedtrace_batches_total has no label reason"),
        served.problems("p", "fedtrace_batches_total{reason=\"x\"}"));
    assertEquals(
        List.of(
            "p: fedtrace_batches_total{outcome=\"rejected\"} is never served (seen: [refused])"),
        served.problems("p", "fedtrace_batches_total{outcome=\"rejected\"}"));
    JsonNode dashboard =
        new ObjectMapper()
            .readTree("{\"panels\": [{\"targets\": [{\"expr\": \"fedtrace_match_lag\"}]}]}");
    Map<String, String> exprs = MetricReferences.dashboardExpressions(dashboard);
    assertEquals(Map.of("dashboard.panels[0].targets[0].expr", "fedtrace_match_lag"), exprs);
    assertFalse(served.problems("d", exprs.values().iterator().next()).isEmpty());
  }

  /**
   * The metrics text of DE's node after it pulled FR's batch, pushed its own, refused a forgery and
   * matched a batch in operator mode.
   */
  private String scrapeABusyNode() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestFederation f = TestFederation.create(dir, clock, "DE", "FR")) {
      int port = HealthListenerTest.freePort();
      f.withConfig("matching:\n  mode: operator\nmetrics:\n  port: " + port + "\n");
      final Node de = f.startNode("DE");
      f.withConfig("");
      Node fr = f.startNode("FR");
      f.follow("DE", "FR");
      f.push("DE", "FR");
      TestBatches batches = new TestBatches(11, clock.instant());
      f.upload("FR", batches.keys(2, 2));
      fr.publishDue(true);
      f.upload("DE", batches.keys(2, 3));
      de.publishDue(true);
      f.await(
          WAIT,
          () ->
              de.store().read(tx -> tx.batches().ofOrigin("FR")).size() == 1
                  && fr.store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1
                  && de.metrics().batchesMatched() >= 1,
          "DE and FR exchanged their batches and DE matched FR's");
      DiagnosisKeyBatch forged =
          Signatures.altered(
              Signatures.sign(
                  batches.batch("FR", 99, batches.keys(2, 2)), f.credentials("FR").signing()));
      assertThrows(
          StatusRuntimeException.class,
          () ->
              f.federation("DE", "FR")
                  .publishBatch(PublishBatchRequest.newBuilder().setBatch(forged).build()));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(WAIT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      return r.body();
    }
  }

  private static JsonNode dashboard() throws IOException {
    return new ObjectMapper()
        .readTree(Files.readString(DeployFiles.ROOT.resolve("grafana/fedtrace-node.json")));
  }

  private static JsonNode alerts() throws IOException {
    return DeployFiles.tree(Files.readString(DeployFiles.ROOT.resolve("prometheus/alerts.yaml")));
  }
}
