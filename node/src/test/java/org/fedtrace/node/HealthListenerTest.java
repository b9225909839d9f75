package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plaintext health listener ({@code health.port}), asked by a real grpc health client without a
 * certificate, as Kubernetes' grpc probe asks it: its statuses follow the node's state (spec
 * §21.1), and it serves nothing but Health. When it fails, check NodeHealth's mapping of states to
 * statuses and Node.start and Node.stop, which open and close the listener.
 */
class HealthListenerTest {
  private static final String ALL = "";
  private static final String FEDERATION = FederationGrpc.SERVICE_NAME;

  @TempDir Path dir;
  private TestFederation f;
  private ManagedChannel plaintext;

  @AfterEach
  void close() throws InterruptedException {
    if (plaintext != null) {
      plaintext.shutdownNow();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  void statusesFollowTheLifecycleServingSunsetDraining() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    f = TestFederation.create(dir, clock, "DE");
    int port = freePort();
    f.withConfig("health:\n  host: 127.0.0.1\n  port: " + port + "\n");
    f.startNode("DE");
    plaintext = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    HealthGrpc.HealthBlockingStub probe = HealthGrpc.newBlockingStub(plaintext);

    assertEquals(ServingStatus.SERVING, check(probe, ALL));
    assertEquals(ServingStatus.SERVING, check(probe, FEDERATION));
    assertEquals(ServingStatus.SERVING, check(probe, "fedtrace.v1.Upload"));
    assertEquals(ServingStatus.SERVING, check(probe, "fedtrace.v1.TransparencyLog"));
    assertCode(Status.Code.NOT_FOUND, () -> check(probe, "fedtrace.v1.OperatorMatching"));
    assertEquals(
        ServingStatus.SERVING,
        check(HealthGrpc.newBlockingStub(f.channel("DE", f.credentials("DE").tls())), FEDERATION),
        "the mTLS listener's Health service says the same");
    assertCode(
        Status.Code.UNIMPLEMENTED,
        () ->
            FederationGrpc.newBlockingStub(plaintext)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));

    clock.set(f.pki().terms().sunsetDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    assertEquals(
        ServingStatus.NOT_SERVING, check(probe, FEDERATION), "R21.6: exchange closed past sunset");
    assertEquals(ServingStatus.NOT_SERVING, check(probe, "fedtrace.v1.Upload"));
    assertEquals(
        ServingStatus.SERVING,
        check(probe, "fedtrace.v1.TransparencyLog"),
        "the log stays readable past the sunset");
    assertEquals(ServingStatus.SERVING, check(probe, ALL), "the node still answers");

    BlockingQueue<ServingStatus> watched = new LinkedBlockingQueue<>();
    HealthGrpc.newStub(plaintext).watch(request(ALL), collect(watched));
    assertEquals(ServingStatus.SERVING, watched.poll(10, TimeUnit.SECONDS));
    f.stopNode("DE");
    assertEquals(
        ServingStatus.NOT_SERVING,
        watched.poll(10, TimeUnit.SECONDS),
        "R21.2: a draining node says so before its listeners close");
  }

  @Test
  void offByDefault() throws Exception {
    f = TestFederation.create(dir, MutableClock.atSystemTime(), "DE");
    int port = freePort();
    f.startNode("DE");
    plaintext = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    assertCode(Status.Code.UNAVAILABLE, () -> check(HealthGrpc.newBlockingStub(plaintext), ALL));
  }

  private static ServingStatus check(HealthGrpc.HealthBlockingStub stub, String service) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(request(service)).getStatus();
  }

  private static HealthCheckRequest request(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  private static StreamObserver<HealthCheckResponse> collect(BlockingQueue<ServingStatus> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HealthCheckResponse r) {
        into.add(r.getStatus());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private static void assertCode(Status.Code expected, Executable call) {
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
    assertEquals(expected, e.getStatus().getCode(), e.getMessage());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
