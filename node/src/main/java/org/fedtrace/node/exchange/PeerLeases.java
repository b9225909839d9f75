package org.fedtrace.node.exchange;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.OperatorIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which configured peers this replica exchanges with: of the replicas sharing a store, the one
 * holding a peer's lease ({@code peer:CC/operator-id}) exchanges with it, so that a peer is pulled
 * from or pushed to once, and another replica takes it over when the holder stops or dies.
 */
public final class PeerLeases {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLeases.class);

  private final ExchangeContext ctx;
  private final Peers peers;
  private final List<NodeConfig.Peer> configured;
  private final Map<OperatorIdentity, JobLease> leases = new LinkedHashMap<>();
  private final Set<OperatorIdentity> following = ConcurrentHashMap.newKeySet();

  /**
   * @param configured the peers of the configuration
   * @param replica this replica's name among those sharing the store
   */
  public PeerLeases(
      ExchangeContext ctx, Peers peers, List<NodeConfig.Peer> configured, String replica) {
    this.ctx = ctx;
    this.peers = peers;
    this.configured = List.copyOf(configured);
    for (NodeConfig.Peer p : configured) {
      leases.put(
          p.identity(), new JobLease(ctx.store(), "peer:" + p.identity(), replica, ctx.clock()));
    }
  }

  /**
   * Exchanges with each configured peer whose lease this replica holds or takes, and stops
   * exchanging with those whose lease another replica took; past the sunset, with none. With
   * background work, runs again every third of a lease's lifetime, which renews the leases held.
   */
  public void exchange() throws IOException {
    for (NodeConfig.Peer p : configured) {
      JobLease lease = leases.get(p.identity());
      boolean mine = !ctx.lifecycle().pastSunset() && lease.hold();
      if (mine && !following.contains(p.identity())) {
        peers.follow(p); // a failure leaves it unfollowed, to be tried at the next turn
        following.add(p.identity());
        LOG.info("event=peer_taken peer={} lease={}", p.identity(), lease.name());
      } else if (!mine && following.remove(p.identity())) {
        LOG.info("event=peer_left peer={} lease={}", p.identity(), lease.name());
        peers.unfollow(p.identity());
      }
    }
  }

  /** Gives up the leases this replica holds, so that other replicas take its jobs at once. */
  public void release() {
    for (JobLease lease : leases.values()) {
      try {
        lease.release();
      } catch (RuntimeException e) {
        LOG.warn("event=lease_release_failed lease={} error=\"{}\"", lease.name(), e.getMessage());
      }
    }
    following.clear();
  }
}
