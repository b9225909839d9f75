package org.fedtrace.node.rpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.transport.Caller;

/**
 * Serves log services in-process behind the node's own chain of checks ({@link RpcServices#log}),
 * as if every call came from {@code caller} (what the node's identity interceptor establishes from
 * the TLS handshake), or from nobody when it is null.
 */
final class InProcessLogServer implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;

  InProcessLogServer(OperatorIdentity caller, Lifecycle lifecycle, BindableService... services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
    RpcServices rpc =
        new RpcServices(
            new NodeMetrics(),
            lifecycle,
            new RateLimits(1_000, 1e9, Clock.systemUTC()),
            new As(caller));
    for (BindableService s : services) {
      b.addService(rpc.log(s));
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Every call comes from {@code caller}, as the identity interceptor would establish. */
  static final class As implements ServerInterceptor {
    private final OperatorIdentity caller;

    As(OperatorIdentity caller) {
      this.caller = caller;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(
          Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }
  }
}
