package org.fedtrace.transport;

import io.grpc.NameResolverRegistry;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.fedtrace.pki.OperatorIdentity;

/**
 * Builds the channel to one peer over all the addresses of its replicas, with gRPC's own machinery
 * only: {@link ReplicaResolverProvider} resolves them, the {@code round_robin} policy keeps a
 * connection to each, and client-side health checking (gRPC health, {@code healthCheckConfig})
 * leaves out of the picks every replica whose health service does not report the checked service
 * SERVING, so calls go to a healthy replica and move when one drains or fails. A replica without a
 * health service counts as healthy. The TLS context decides whom the channel trusts: with {@link
 * MutualTls.Clients#forPeer} every replica must present a certificate naming the peer, whichever
 * address answers, and its host name is checked against the address it was reached at.
 *
 * <p>Round robin rather than pick_first: grpc-java's pick_first ignores health checking unless it
 * runs under another policy, and a replica set serves one store, so any healthy replica may answer
 * any call.
 */
public final class PeerChannels {
  static {
    NameResolverRegistry.getDefaultRegistry().register(new ReplicaResolverProvider());
  }

  private PeerChannels() {}

  /**
   * A builder of the channel to {@code peer} at {@code addresses}, each unresolved ({@link
   * InetSocketAddress#createUnresolved}): the caller adds its message size and idle settings.
   *
   * @param tls the client context, which must accept only certificates naming {@code peer}
   * @param healthService the service whose health status the channel checks on each replica
   * @throws IllegalArgumentException if there is no address
   */
  public static NettyChannelBuilder builder(
      OperatorIdentity peer,
      List<InetSocketAddress> addresses,
      SslContext tls,
      String healthService) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address for the peer " + peer);
    }
    return NettyChannelBuilder.forTarget(ReplicaResolverProvider.SCHEME + ":///" + peer)
        .setNameResolverArg(ReplicaResolverProvider.ADDRESSES, List.copyOf(addresses))
        .defaultServiceConfig(serviceConfig(healthService))
        .disableServiceConfigLookUp()
        .sslContext(tls);
  }

  /** The service config: round robin over healthy replicas. */
  static Map<String, ?> serviceConfig(String healthService) {
    return Map.of(
        "loadBalancingConfig",
        List.of(Map.of("round_robin", Map.of())),
        "healthCheckConfig",
        Map.of("serviceName", healthService));
  }
}
