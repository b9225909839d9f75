package org.fedtrace.node.rpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.fedtrace.transport.Caller;

/**
 * Admits a call by its caller's rate limits (spec R6.16, §6.4 step 5), once its request arrived:
 * one request token, and for a push as many key tokens as the request carries.
 */
final class RateLimitInterceptor implements ServerInterceptor {
  private final RateLimits limits;
  private final ToLongFunction<Object> pushedKeys;
  private final Set<String> unlimited;

  /**
   * @param pushedKeys the keys a request pushes (0 for requests that push none)
   * @param unlimited methods that take no token
   */
  RateLimitInterceptor(
      RateLimits limits, ToLongFunction<Object> pushedKeys, Set<String> unlimited) {
    this.limits = limits;
    this.pushedKeys = pushedKeys;
    this.unlimited = Set.copyOf(unlimited);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (unlimited.contains(call.getMethodDescriptor().getBareMethodName())) {
      return listener;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private long keys;

      @Override
      public void onMessage(Q message) {
        keys = pushedKeys.applyAsLong(message);
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        limits.admit(Caller.current(), keys);
        super.onHalfClose();
      }
    };
  }
}
