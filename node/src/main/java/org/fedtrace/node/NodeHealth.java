package org.fedtrace.node;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.proto.v1.FederationGrpc;

/**
 * What the node's gRPC health service reports, from its state (spec §21.1): the Federation service
 * is SERVING while the node exchanges, NOT_SERVING past the sunset and from the start of draining,
 * so that peers' channels to a set of replicas ({@code PeerChannels}) send their calls elsewhere.
 * The whole server ({@code ""}) is SERVING until the node drains: past the sunset it still answers
 * the log and GetNodeInfo, and a liveness probe must not restart it. Thread-safe.
 */
final class NodeHealth {
  /** The service peers check before they call a replica. */
  static final String FEDERATION = FederationGrpc.SERVICE_NAME;

  private final HealthStatusManager manager = new HealthStatusManager();

  NodeHealth() {
    // nothing is served before the listener opens; start() reports the state then
    manager.setStatus(FEDERATION, ServingStatus.NOT_SERVING);
  }

  /** The gRPC health service. */
  BindableService service() {
    return manager.getHealthService();
  }

  /** Reports {@code lifecycle}'s current state; final once the node drains. */
  void report(Lifecycle lifecycle) {
    Lifecycle.State state = lifecycle.state();
    if (state == Lifecycle.State.DRAINING || state == Lifecycle.State.STOPPED) {
      manager.enterTerminalState(); // NOT_SERVING for every service, for good
      return;
    }
    manager.setStatus(
        FEDERATION,
        state == Lifecycle.State.SERVING ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }
}
