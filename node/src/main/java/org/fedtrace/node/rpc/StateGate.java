package org.fedtrace.node.rpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.rules.Rule;
import org.fedtrace.transport.Caller;

/**
 * Admits a call by the node's state, after its identity and before its rate limit (spec §6.4 step
 * 4): every call is refused while the node drains (R21.2); past the sunset, the calls of an
 * exchange service are refused under its sunset rule (R21.6 for exchange and uploads, R15.2 for
 * operator matching), all but those the spec keeps open (GetNodeInfo, R7.8).
 */
final class StateGate implements ServerInterceptor {
  private final Lifecycle lifecycle;
  private final Rule pastSunset;
  private final Set<String> openPastSunset;

  private StateGate(Lifecycle lifecycle, Rule pastSunset, Set<String> openPastSunset) {
    this.lifecycle = lifecycle;
    this.pastSunset = pastSunset;
    this.openPastSunset = Set.copyOf(openPastSunset);
  }

  /** Refuses calls while the node drains; answers them past the sunset. */
  static StateGate draining(Lifecycle lifecycle) {
    return new StateGate(lifecycle, null, Set.of());
  }

  /**
   * Refuses calls while the node drains, and past the sunset under {@code pastSunset}, except the
   * methods {@code openPastSunset}.
   */
  static StateGate exchange(Lifecycle lifecycle, Rule pastSunset, String... openPastSunset) {
    return new StateGate(lifecycle, pastSunset, Set.of(openPastSunset));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    boolean sunsetApplies =
        pastSunset != null
            && !openPastSunset.contains(call.getMethodDescriptor().getBareMethodName());
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      @Override
      public void onHalfClose() {
        Caller.current(); // step 3 came first: no call passes without an identity
        if (sunsetApplies) {
          lifecycle.checkExchange(pastSunset);
        } else {
          lifecycle.checkNotDraining();
        }
        super.onHalfClose();
      }
    };
  }
}
