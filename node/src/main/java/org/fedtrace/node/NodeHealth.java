package org.fedtrace.node;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.proto.v1.FederationGrpc;

/**
 * What the node's gRPC health service reports, from its state (spec §21.1): the Federation service
 * is SERVING while the node exchanges, NOT_SERVING past the sunset and from the start of draining,
 * so that peers' channels to a set of replicas ({@code PeerChannels}) send their calls elsewhere.
 * The whole server ({@code ""}) is SERVING until the node drains: past the sunset it still answers
 * the log and GetNodeInfo, and a liveness probe must not restart it. When the node drains, the open
 * Watch streams end with UNAVAILABLE right after they carried NOT_SERVING, like the subscriptions
 * (R21.3), so that they do not hold the server open until its grace period ends. Thread-safe.
 */
final class NodeHealth implements ServerInterceptor {
  /** The service peers check before they call a replica. */
  static final String FEDERATION = FederationGrpc.SERVICE_NAME;

  private final HealthStatusManager manager = new HealthStatusManager();
  private final Set<ServerCall<?, ?>> watches = ConcurrentHashMap.newKeySet();
  private boolean terminal;

  NodeHealth() {
    // nothing is served before the listener opens; start() reports the state then
    manager.setStatus(FEDERATION, ServingStatus.NOT_SERVING);
  }

  /** The gRPC health service. */
  ServerServiceDefinition service() {
    return ServerInterceptors.intercept(manager.getHealthService(), this);
  }

  /** Reports {@code lifecycle}'s current state; final once the node drains. */
  synchronized void report(Lifecycle lifecycle) {
    Lifecycle.State state = lifecycle.state();
    if (state == Lifecycle.State.DRAINING || state == Lifecycle.State.STOPPED) {
      terminal = true;
      manager.enterTerminalState(); // NOT_SERVING for every service, for good
      for (ServerCall<?, ?> call : watches) {
        end(call);
      }
      return;
    }
    manager.setStatus(
        FEDERATION,
        state == Lifecycle.State.SERVING ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().equals(HealthGrpc.getWatchMethod())) {
      return next.startCall(call, headers);
    }
    synchronized (this) {
      if (terminal) {
        call.close(drainingStatus(), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      watches.add(call);
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      @Override
      public void onCancel() {
        watches.remove(call);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        watches.remove(call);
        super.onComplete();
      }
    };
  }

  private void end(ServerCall<?, ?> call) {
    watches.remove(call);
    try {
      call.close(drainingStatus(), new Metadata());
    } catch (IllegalStateException alreadyClosed) {
      // the client cancelled it meanwhile
    }
  }

  private static Status drainingStatus() {
    return Status.UNAVAILABLE.withDescription("R21.2: the node is shutting down");
  }
}
