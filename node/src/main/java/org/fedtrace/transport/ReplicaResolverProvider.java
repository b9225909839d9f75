package org.fedtrace.transport;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC's name resolution for a channel to one peer whose node runs as several replicas: a target
 * {@code fedtrace-peer:///CC/operator-id} resolves to the replicas' addresses, which {@link
 * PeerChannels} hands over as the channel's {@link #ADDRESSES} argument. Each configured address
 * becomes one {@link EquivalentAddressGroup} (all the IP addresses its host name resolves to), with
 * that address's own {@code host:port} as the authority of its connections, so TLS checks the host
 * name the replica was reached at. Registered once, in the default registry, by {@link
 * PeerChannels}.
 */
final class ReplicaResolverProvider extends NameResolverProvider {
  /** The scheme of a replica set's target. */
  static final String SCHEME = "fedtrace-peer";

  /** The replicas' unresolved addresses, in the order of the configuration. */
  static final NameResolver.Args.Key<List<InetSocketAddress>> ADDRESSES =
      NameResolver.Args.Key.create("fedtrace-peer-addresses");

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    List<InetSocketAddress> addresses = args.getArg(ADDRESSES);
    if (addresses == null || addresses.isEmpty()) {
      throw new IllegalArgumentException(
          target + ": a " + SCHEME + " target needs its addresses; build it with PeerChannels");
    }
    return new Replicas(target, List.copyOf(addresses), args);
  }

  /** The authority of connections to {@code address}: its {@code host:port}. */
  static String authority(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /**
   * Resolves the replicas' host names off the synchronization context, one at a time, and hands the
   * channel every address that resolved; fails only when none did.
   */
  private static final class Replicas extends NameResolver {
    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

    private final URI target;
    private final List<InetSocketAddress> addresses;
    private final SynchronizationContext sync;
    private final Executor offload;
    // confined to the synchronization context
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Replicas(URI target, List<InetSocketAddress> addresses, Args args) {
      this.target = target;
      this.addresses = addresses;
      this.sync = args.getSynchronizationContext();
      this.offload = args.getOffloadExecutor();
    }

    @Override
    public String getServiceAuthority() {
      return authority(addresses.get(0));
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      offload.execute(
          () -> {
            StatusOr<List<EquivalentAddressGroup>> groups = groups();
            sync.execute(() -> deliver(groups));
          });
    }

    private void deliver(StatusOr<List<EquivalentAddressGroup>> groups) {
      resolving = false;
      if (!shutdown) {
        listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(groups).build());
      }
    }

    private StatusOr<List<EquivalentAddressGroup>> groups() {
      List<EquivalentAddressGroup> out = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (InetSocketAddress a : addresses) {
        try {
          List<SocketAddress> resolved = new ArrayList<>();
          for (InetAddress ip : InetAddress.getAllByName(a.getHostString())) {
            resolved.add(new InetSocketAddress(ip, a.getPort()));
          }
          out.add(
              new EquivalentAddressGroup(
                  resolved,
                  Attributes.newBuilder()
                      .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, authority(a))
                      .build()));
        } catch (UnknownHostException e) {
          failed.add(authority(a));
        }
      }
      if (!failed.isEmpty()) {
        LOG.warn("event=peer_address_unresolved target={} addresses={}", target, failed);
      }
      if (out.isEmpty()) {
        return StatusOr.fromStatus(
            Status.UNAVAILABLE.withDescription(
                "none of the addresses of " + target + " resolves: " + failed));
      }
      return StatusOr.fromValue(out);
    }
  }
}
