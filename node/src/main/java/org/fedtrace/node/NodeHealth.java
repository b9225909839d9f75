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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.node.lifecycle.Lifecycle;

/**
 * The node's grpc.health.v1 statuses, read from its state (spec §21.1) by grpc-java's {@link
 * HealthStatusManager}, on the mTLS listener and on the plaintext health listener alike.
 *
 * <ul>
 *   <li>The whole server ({@code ""}) and the services that stay open past the sunset
 *       (TransparencyLog, Notice) are SERVING in SERVING and SUNSET: past the sunset the node still
 *       answers the log, and a liveness probe must not restart it.
 *   <li>The exchange services (Federation, Upload, and OperatorMatching when offered) are SERVING
 *       only in SERVING, so that peers' channels to a set of replicas ({@code PeerChannels}) send
 *       their calls elsewhere.
 *   <li>Everything is NOT_SERVING while the node starts, and for good once it drains; the open
 *       Watch streams then end with UNAVAILABLE right after they carried NOT_SERVING, like the
 *       subscriptions (R21.3), so that they do not hold the server open until its grace ends.
 * </ul>
 *
 * <p>The statuses are read again before every health call and on {@link #refresh}, which the node
 * calls every second, so that a probe sees the state of the moment and a Watch learns of the
 * sunset. Thread-safe.
 */
final class NodeHealth implements ServerInterceptor {
  private final HealthStatusManager manager = new HealthStatusManager();
  private final Set<ServerCall<?, ?>> watches = ConcurrentHashMap.newKeySet();
  private final Lifecycle lifecycle;
  private final List<String> exchange;
  private final List<String> openPastSunset;
  private boolean terminal;

  /**
   * @param exchange the services closed past the sunset
   * @param openPastSunset the services that answer past the sunset
   */
  NodeHealth(Lifecycle lifecycle, List<String> exchange, List<String> openPastSunset) {
    this.lifecycle = lifecycle;
    this.exchange = List.copyOf(exchange);
    this.openPastSunset = List.copyOf(openPastSunset);
    refresh();
  }

  /** The Health service, which reads the node's state before answering. */
  ServerServiceDefinition service() {
    return ServerInterceptors.intercept(manager.getHealthService(), this);
  }

  /** Sets every status from the node's state now; final once the node drains. */
  synchronized void refresh() {
    if (terminal) {
      return;
    }
    Lifecycle.State state = lifecycle.state();
    if (state == Lifecycle.State.DRAINING || state == Lifecycle.State.STOPPED) {
      terminal = true;
      manager.enterTerminalState(); // NOT_SERVING for every service, for good
      for (ServerCall<?, ?> call : watches) {
        end(call);
      }
      return;
    }
    boolean answers = state == Lifecycle.State.SERVING || state == Lifecycle.State.SUNSET;
    set(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, answers);
    openPastSunset.forEach(name -> set(name, answers));
    exchange.forEach(name -> set(name, state == Lifecycle.State.SERVING));
  }

  private void set(String service, boolean serving) {
    manager.setStatus(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    refresh();
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
