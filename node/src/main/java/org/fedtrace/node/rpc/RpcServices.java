package org.fedtrace.node.rpc;

import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.rules.Rule;

/**
 * Puts the checks every call passes around each service, as grpc-java interceptors, in the order of
 * spec §6.4: the caller's identity from its certificate (step 3), a request that parses (R20.10),
 * the node's state (step 4), the caller's rate limit (step 5); then the handler, which holds only
 * its RPC's own rules. Around them all, what a handler throws becomes the call's status in one
 * place, and every unary call's outcome is measured.
 */
public final class RpcServices {
  private final NodeMetrics metrics;
  private final Lifecycle lifecycle;
  private final RateLimits limits;
  private final ServerInterceptor identity;

  /**
   * @param identity the interceptor that turns the TLS client certificate into the caller's
   *     identity, or refuses the call
   */
  public RpcServices(
      NodeMetrics metrics, Lifecycle lifecycle, RateLimits limits, ServerInterceptor identity) {
    this.metrics = metrics;
    this.lifecycle = lifecycle;
    this.limits = limits;
    this.identity = identity;
  }

  /**
   * The Federation service: exchange calls refused past the sunset (R21.6) but GetNodeInfo (R7.8);
   * every call takes a rate-limit token (R6.16), and PublishBatch one more per key it pushes.
   */
  public ServerServiceDefinition federation(FederationService service) {
    return chain(
        service,
        new RateLimitInterceptor(limits, FederationService::pushedKeys, Set.of()),
        StateGate.exchange(lifecycle, Rule.PAST_SUNSET, "GetNodeInfo"));
  }

  /**
   * A service of the operator's own backend (Upload, OperatorMatching), refused past the sunset
   * under {@code pastSunset}.
   */
  public ServerServiceDefinition home(BindableService service, Rule pastSunset) {
    return chain(
        service,
        new RateLimitInterceptor(limits, request -> 0, Set.of()),
        StateGate.exchange(lifecycle, pastSunset));
  }

  /**
   * A service that stays open past the sunset (TransparencyLog, Notice), rate-limited like every
   * other (R6.16, transparency.md §10.4).
   */
  public ServerServiceDefinition log(BindableService service) {
    return chain(
        service,
        new RateLimitInterceptor(limits, request -> 0, Set.of()),
        StateGate.draining(lifecycle));
  }

  /**
   * A feature the node does not offer: every call answers UNIMPLEMENTED before any identity check
   * (spec §6.4 step 2), measured like every other.
   */
  public ServerServiceDefinition notOffered(BindableService service) {
    return ServerInterceptors.intercept(
        service, new StatusInterceptor(), new CallMetricsInterceptor(metrics));
  }

  /** Health and reflection: the caller's identity only. */
  public ServerServiceDefinition open(BindableService service) {
    return ServerInterceptors.intercept(service, identity);
  }

  /** The chain around {@code service}, with {@code checks} after identity, innermost first. */
  private ServerServiceDefinition chain(BindableService service, ServerInterceptor... checks) {
    List<ServerInterceptor> inner = new ArrayList<>(List.of(checks));
    inner.add(new StatusInterceptor());
    inner.add(identity); // the last interceptor listed sees the call first
    ServerServiceDefinition checked = ServerInterceptors.intercept(service, inner);
    return ServerInterceptors.intercept(
        WellFormedRequests.of(checked), new CallMetricsInterceptor(metrics));
  }
}
