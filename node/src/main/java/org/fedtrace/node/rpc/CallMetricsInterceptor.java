package org.fedtrace.node.rpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.fedtrace.node.metrics.NodeMetrics;

/**
 * Records the outcome of every unary call (method, status code, server-side latency) in {@code
 * fedtrace_rpc_duration_seconds}, whichever part of the node answered it: an interceptor that
 * refused it or the handler.
 */
final class CallMetricsInterceptor implements ServerInterceptor {
  private final NodeMetrics metrics;

  CallMetricsInterceptor(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
      return next.startCall(call, headers);
    }
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getBareMethodName();
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            metrics.rpc(method, status.getCode().name(), (System.nanoTime() - start) / 1e9);
            super.close(status, trailers);
          }
        },
        headers);
  }
}
