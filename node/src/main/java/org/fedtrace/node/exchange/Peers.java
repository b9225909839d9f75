package org.fedtrace.node.exchange;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.transport.PeerChannels;

/**
 * The peers this node exchanges with: one long-lived mutual-TLS channel each (a handshake costs
 * milliseconds of CPU), over all the addresses of the peer's replicas ({@link PeerChannels}: calls
 * go to a replica whose health service reports the Federation service SERVING), and on it a {@link
 * PeerSync} that subscribes to the peer or a {@link PeerPush} that pushes to it. Their cursors
 * belong to the peer's identity, not to an address, so a call that moves to another replica resumes
 * where the last one stopped. Thread-safe.
 */
public final class Peers {
  private final ExchangeContext ctx;
  private final NodeConfig config;
  private final MutualTls.Clients tls;
  private final Ingest ingest;
  private final Deliveries deliveries;
  private final byte[] agreementSha256;
  private final Witness witness;
  private final WitnessRounds witnessRounds;
  private final List<PeerSync> syncs = new CopyOnWriteArrayList<>();
  private final List<PeerPush> pushes = new CopyOnWriteArrayList<>();
  private final Map<OperatorIdentity, Runnable> stops = new ConcurrentHashMap<>();

  /**
   * @param tls the node's client credentials, which make a context per peer
   * @param agreementSha256 the hash of the agreement this node runs; peers must run the same
   * @param witness this node as a witness of every peer's log it follows
   */
  public Peers(
      ExchangeContext ctx,
      NodeConfig config,
      MutualTls.Clients tls,
      Ingest ingest,
      Deliveries deliveries,
      byte[] agreementSha256,
      Witness witness) {
    this.ctx = ctx;
    this.config = config;
    this.tls = tls;
    this.ingest = ingest;
    this.deliveries = deliveries;
    this.agreementSha256 = agreementSha256.clone();
    this.witness = witness;
    this.witnessRounds =
        new WitnessRounds(witness.self().country(), witness.self().toString().hashCode());
  }

  /**
   * Exchanges with one more peer, over mutual TLS at any of its addresses, expecting every
   * replica's certificate to name {@code p}'s identity: subscribes to it, or pushes to it.
   */
  public synchronized void follow(NodeConfig.Peer p) throws IOException {
    List<InetSocketAddress> addresses =
        p.addresses().stream()
            .map(a -> InetSocketAddress.createUnresolved(a.host(), a.port()))
            .toList();
    ManagedChannel channel =
        PeerChannels.builder(
                p.identity(), addresses, tls.forPeer(p.identity()), FederationGrpc.SERVICE_NAME)
            .maxInboundMessageSize(Math.max(config.limits().maxMessageBytes(), 4 << 20))
            .idleTimeout(config.sync().idleTimeoutSeconds(), TimeUnit.SECONDS)
            .build();
    PeerChannel peer =
        new PeerChannel(p.identity(), channel, agreementSha256, config.sync().deadlineMillis());
    Backoff backoff =
        new Backoff(config.sync().retryInitialMillis(), config.sync().retryMaxMillis());
    WitnessJob witnessing = new WitnessJob(peer, witness, ctx);
    witnessing.start(witnessRounds, config.sync().witnessIntervalSeconds());
    if (p.mode() == NodeConfig.SyncMode.PUSH) {
      PeerPush push = new PeerPush(peer, deliveries, ctx, backoff);
      pushes.add(push);
      stops.put(p.identity(), () -> stop(push, witnessing));
      push.start();
    } else {
      PeerSync sync = new PeerSync(peer, ingest, ctx, backoff);
      syncs.add(sync);
      stops.put(p.identity(), () -> stop(sync, witnessing));
      sync.start();
    }
  }

  /** Stops exchanging with the peer {@code identity} (when another replica takes it over). */
  public void unfollow(OperatorIdentity identity) {
    Runnable stop = stops.remove(identity);
    if (stop != null) {
      stop.run();
    }
  }

  private void stop(PeerSync sync, WitnessJob witnessing) {
    witnessing.stop();
    sync.stop();
    syncs.remove(sync);
  }

  private void stop(PeerPush push, WitnessJob witnessing) {
    witnessing.stop();
    push.stop();
    pushes.remove(push);
  }

  /** Stops exchanging with every peer and closes the channels. */
  public void unfollowAll() {
    stops.values().forEach(Runnable::run);
    stops.clear();
    syncs.forEach(PeerSync::stop);
    pushes.forEach(PeerPush::stop);
  }

  /**
   * Stops exchanging with every peer and ends the witness rounds' threads, for good: when the node
   * stops.
   */
  public void close() {
    unfollowAll();
    witnessRounds.close();
  }
}
