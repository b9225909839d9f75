package org.fedtrace.node;

import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import org.fedtrace.node.lifecycle.Lifecycle;

/**
 * The node's grpc.health.v1 statuses, read from its state (spec §21.1) by grpc-java's {@link
 * HealthStatusManager}. The whole server ({@code ""}) and the services that stay open past the
 * sunset (TransparencyLog, Notice) are SERVING while the node answers, in SERVING and SUNSET; the
 * exchange services (Federation, Upload, and OperatorMatching when offered) only in SERVING;
 * everything is NOT_SERVING while the node starts, and for good once it drains. The lifecycle
 * enters SUNSET when asked, so the statuses are read again before every health call: a probe sees
 * the state of the moment.
 */
final class NodeHealth {
  private final HealthStatusManager manager = new HealthStatusManager();
  private final Lifecycle lifecycle;
  private final List<String> exchange;
  private final List<String> openPastSunset;

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
  BindableService service() {
    ServerInterceptor refreshing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            refresh();
            return next.startCall(call, headers);
          }
        };
    return () -> ServerInterceptors.intercept(manager.getHealthService(), refreshing);
  }

  /** Sets every status from the node's state now. */
  void refresh() {
    Lifecycle.State state = lifecycle.state();
    if (state == Lifecycle.State.DRAINING || state == Lifecycle.State.STOPPED) {
      drain();
      return;
    }
    boolean answers = state == Lifecycle.State.SERVING || state == Lifecycle.State.SUNSET;
    set(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, answers);
    openPastSunset.forEach(name -> set(name, answers));
    exchange.forEach(name -> set(name, state == Lifecycle.State.SERVING));
  }

  /** The node drains: NOT_SERVING everywhere, for good. */
  void drain() {
    manager.enterTerminalState();
  }

  private void set(String service, boolean serving) {
    manager.setStatus(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }
}
