package org.fedtrace.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The auditor's client waits out a node's rate limit (R6.16) for the delay its RetryInfo names
 * (R20.7), so that auditing a long log paces itself; other refusals, and a limit that never lifts,
 * still fail.
 */
class GrpcLogClientTest {
  private final AtomicInteger calls = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  private GrpcLogClient serve(int limitedCalls, Status.Code otherwise) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new TransparencyLogGrpc.TransparencyLogImplBase() {
                  @Override
                  public void getCheckpoint(
                      GetCheckpointRequest request,
                      StreamObserver<GetCheckpointResponse> observer) {
                    int n = calls.incrementAndGet();
                    if (n <= limitedCalls) {
                      observer.onError(
                          Statuses.toStatus(
                              new RuleViolation(
                                  Rule.RATE_LIMITED, "slow down", Duration.ofMillis(20))));
                    } else if (otherwise != Status.Code.OK) {
                      observer.onError(otherwise.toStatus().asRuntimeException());
                    } else {
                      observer.onNext(
                          GetCheckpointResponse.newBuilder()
                              .setCheckpoint(Checkpoint.newBuilder().setLogOrigin("o"))
                              .build());
                      observer.onCompleted();
                    }
                  }
                })
            .directExecutor()
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return new GrpcLogClient(channel, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void waitsOutTheRateLimitThenAnswers() throws Exception {
    assertEquals("o", serve(3, Status.Code.OK).checkpoint().getLogOrigin());
    assertEquals(4, calls.get());
  }

  @Test
  void otherRefusalsAndALimitThatNeverLiftsStillFail() throws Exception {
    StatusRuntimeException other =
        assertThrows(
            StatusRuntimeException.class, () -> serve(0, Status.Code.INTERNAL).checkpoint());
    assertEquals(Status.Code.INTERNAL, other.getStatus().getCode());
    assertEquals(1, calls.get());
    stop();
    calls.set(0);
    StatusRuntimeException limited =
        assertThrows(StatusRuntimeException.class, () -> serve(1_000, Status.Code.OK).checkpoint());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getStatus().getCode());
    assertEquals(GrpcLogClient.RATE_LIMIT_RETRIES + 1, calls.get());
  }
}
