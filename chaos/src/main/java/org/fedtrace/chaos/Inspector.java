package org.fedtrace.chaos;

import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.audit.LogClient;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;

/**
 * Looks at the nodes from the outside, as a member would: reads every batch a node serves from the
 * start of its store, and audits its transparency log (checkpoint signature, consistency with the
 * checkpoint of the previous audit, sampled inclusion, and the peers' records of what it says it
 * exchanged with them), keeping each node's audit state from one round to the next.
 */
final class Inspector {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int SAMPLE = 64;
  private static final int ATTEMPTS = 50;

  private final Cluster cluster;
  private final Ledger ledger;
  private final Auditor auditor;
  private final Map<String, AuditState> audited = new HashMap<>();

  Inspector(Cluster cluster, Ledger ledger, long seed) {
    this.cluster = cluster;
    this.ledger = ledger;
    this.auditor = new Auditor(cluster.validator(), Clock.systemUTC(), new Random(seed));
  }

  /**
   * Every batch {@code node} serves, read with PullBatches from an empty cursor until it says it
   * caught up; retried from the start while the node is unreachable.
   *
   * @throws IllegalStateException if the node does not answer for long
   */
  Holdings readAll(String node) {
    FederationGrpc.FederationBlockingStub stub =
        FederationGrpc.newBlockingStub(cluster.pulls(node));
    StatusRuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Holdings held = new Holdings();
      try {
        PullBatchesRequest.Builder request = PullBatchesRequest.newBuilder().setMaxBatches(500);
        for (PullBatchesResponse page; ; ) {
          page =
              stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .pullBatches(request.build());
          ledger.served(page.getBatchesList());
          held.add(page.getBatchesList());
          request.setCursor(page.getNextCursor());
          if (page.getCaughtUp()) {
            return held;
          }
        }
      } catch (StatusRuntimeException e) {
        last = e;
        NodeProcess.sleep(200);
      }
    }
    throw new IllegalStateException(
        "node " + node + " did not serve its batches: " + last.getStatus(), last);
  }

  /**
   * Audits {@code node}'s log against what the previous audit of it verified.
   *
   * @return the audit's failures, empty when it passed
   */
  List<String> audit(String node) {
    OperatorIdentity id = cluster.identity(node);
    AuditReport report = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      report =
          auditor.audit(
              id, client(node), audited.getOrDefault(node, AuditState.empty()), SAMPLE, this::peer);
      if (report.passed() || !report.findings().toString().contains("UNAVAILABLE")) {
        break;
      }
      NodeProcess.sleep(200); // the node, or a peer it names, is starting again
    }
    if (report.passed()) {
      audited.put(node, report.state());
      return List.of();
    }
    return report.texts(AuditReport.Kind.FAILED).stream().map(t -> node + ": " + t).toList();
  }

  private LogClient client(String node) {
    return new GrpcLogClient(cluster.pulls(node), DEADLINE);
  }

  private Optional<LogClient> peer(OperatorIdentity peer) {
    for (NodeProcess n : cluster.nodes()) {
      if (cluster.identity(n.country()).equals(peer)) {
        return Optional.of(client(n.country()));
      }
    }
    return Optional.empty();
  }
}
