package org.fedtrace.node.rpc;

import static org.fedtrace.node.rpc.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.rules.Rule;
import org.fedtrace.store.StoreException;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.tlog.LogIntegrityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks every call passes before its handler ({@link RpcServices}), on services served
 * in-process: the node's state, the caller's rate limit, the mapping of what a handler throws to
 * the spec's status codes, and the measure of every outcome.
 */
class RpcServicesTest {
  private static final LocalDate SUNSET = LocalDate.of(2027, 6, 30);
  private static final OperatorIdentity CALLER = OperatorIdentity.parse("DE/op-de");

  private final MutableClock clock = new MutableClock(Instant.parse("2027-01-01T00:00:00Z"));
  private final Lifecycle lifecycle = new Lifecycle(SUNSET, clock, false);
  private final NodeMetrics metrics = new NodeMetrics();
  private Supplier<RuntimeException> failure = () -> null;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    RpcServices rpc =
        new RpcServices(
            metrics, lifecycle, new RateLimits(2, 1000, clock), new InProcessLogServer.As(CALLER));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                rpc.federation(
                    new FederationService(
                        null, null, null, GetNodeInfoResponse.newBuilder().build(), 1000)))
            .addService(rpc.home(new FailingUploads(), Rule.PAST_SUNSET))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    lifecycle.serve();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void getNodeInfoAnswersPastTheSunsetButNotWhileTheNodeDrains() {
    clock.set(Instant.parse("2027-07-01T00:00:00Z"));
    assertEquals(GetNodeInfoResponse.getDefaultInstance(), nodeInfo());
    lifecycle.drain();
    assertStatus(
        Status.Code.UNAVAILABLE,
        "R21.2: the node is shutting down; retry with backoff",
        this::nodeInfo);
  }

  @Test
  void anExchangeCallIsRefusedPastTheSunsetThenWhileDraining() {
    clock.set(Instant.parse("2027-07-01T00:00:00Z"));
    assertEquals(Lifecycle.State.SUNSET, lifecycle.state());
    assertStatus(
        Status.Code.FAILED_PRECONDITION,
        "R21.6: the federation agreement ended on 2027-06-30; exchange is closed",
        this::upload);
    lifecycle.drain();
    assertStatus(
        Status.Code.UNAVAILABLE,
        "R21.2: the node is shutting down; retry with backoff",
        this::upload);
  }

  @Test
  void theRateLimitCountsCallsAfterTheStateGate() {
    upload();
    upload();
    assertStatus(
        Status.Code.RESOURCE_EXHAUSTED,
        "R6.16: DE/op-de exceeds 2 requests per second; retry later",
        this::upload);
    // GetNodeInfo takes a token like every call (R6.16, transparency.md §10.4)
    assertStatus(
        Status.Code.RESOURCE_EXHAUSTED,
        "R6.16: DE/op-de exceeds 2 requests per second; retry later",
        this::nodeInfo);
    clock.advance(java.time.Duration.ofSeconds(1));
    upload();
    nodeInfo();
  }

  @Test
  void whatAHandlerThrowsBecomesTheSpecsStatus() {
    failure = () -> new StoreException("disk full", null);
    assertStatus(
        Status.Code.UNAVAILABLE, "R21.5: the node's store failed; retry later", this::upload);
    failure = () -> new LogIntegrityException("leaf 3 is missing");
    clock.advance(java.time.Duration.ofSeconds(1));
    assertStatus(Status.Code.INTERNAL, "the node's log failed its integrity check", this::upload);
    failure = () -> new IllegalStateException("a bug");
    assertStatus(Status.Code.INTERNAL, "the node failed", this::upload);
  }

  @Test
  void everyUnaryOutcomeIsMeasuredWhoeverAnsweredIt() {
    upload();
    lifecycle.drain();
    assertStatus(
        Status.Code.UNAVAILABLE,
        "R21.2: the node is shutting down; retry with backoff",
        this::upload);
    assertEquals(1, calls("UploadDiagnosisKeys", "OK"));
    assertEquals(1, calls("UploadDiagnosisKeys", "UNAVAILABLE"));
  }

  private GetNodeInfoResponse nodeInfo() {
    return FederationGrpc.newBlockingStub(channel)
        .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
  }

  private UploadDiagnosisKeysResponse upload() {
    return UploadGrpc.newBlockingStub(channel)
        .uploadDiagnosisKeys(UploadDiagnosisKeysRequest.getDefaultInstance());
  }

  private long calls(String method, String code) {
    for (MetricSnapshot m : metrics.registry().scrape()) {
      if (m instanceof HistogramSnapshot h
          && h.getMetadata().getPrometheusName().equals("fedtrace_rpc_duration_seconds")) {
        return h.getDataPoints().stream()
            .filter(
                d ->
                    method.equals(d.getLabels().get("method"))
                        && code.equals(d.getLabels().get("code")))
            .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount)
            .sum();
      }
    }
    return 0;
  }

  /** An Upload service that answers an empty response, or throws what the test set. */
  private final class FailingUploads extends UploadGrpc.UploadImplBase {
    @Override
    public void uploadDiagnosisKeys(
        UploadDiagnosisKeysRequest request, StreamObserver<UploadDiagnosisKeysResponse> observer) {
      RuntimeException e = failure.get();
      if (e != null) {
        throw e;
      }
      Replies.send(observer, UploadDiagnosisKeysResponse.getDefaultInstance());
    }
  }
}
