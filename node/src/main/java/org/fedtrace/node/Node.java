package org.fedtrace.node;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.PublicSite;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.node.stats.StatisticsJob;
import org.fedtrace.node.web.PublicEndpoint;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.store.Store;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A federation node: loads and checks its configuration, credentials and agreement, opens its
 * store, serves the Federation, Upload, TransparencyLog and Notice services (plus health and
 * reflection, and in operator-assisted mode the OperatorMatching service) over mutual TLS (and,
 * when configured, health alone on a plaintext listener for an orchestrator's probes), follows its
 * peers, publishes its own batches, purges past retention and enforces the sunset. The parts are
 * built by {@link NodeAssembly}; this facade runs them.
 *
 * <p>Lifecycle (spec §21): {@link #start}, then {@link #stop} (drains: new calls get UNAVAILABLE,
 * in-flight commits finish, within a bounded wait) and {@link #blockUntilShutdown}; {@link #drain}
 * drains with the listener still open, for a replica that leaves a set of replicas.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  /** Protocol package this node speaks. */
  public static final String PROTOCOL_VERSION = NodeAssembly.PROTOCOL_VERSION;

  /** The feature name of operator-assisted matching (spec §6.3, §15). */
  public static final String OPERATOR_MATCHING = NodeAssembly.OPERATOR_MATCHING;

  private final NodeAssembly parts;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Server server;
  private Server healthServer;
  private HTTPServer metricsServer;
  private PublicEndpoint publicEndpoint;

  private Node(NodeAssembly parts) {
    this.parts = parts;
  }

  /**
   * Loads the node's files and checks them (spec R2.2, R2.7): the federation authority, the signed
   * agreement, the credentials (valid for their purposes, same operator, a member), the national
   * trust list; opens the store.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  public static Node create(NodeConfig config, Clock clock) throws NodeStartException {
    return create(config, clock, NodeOptions.defaults());
  }

  /** A node built with {@code options}. */
  public static Node create(NodeConfig config, Clock clock, NodeOptions options)
      throws NodeStartException {
    return new Node(NodeAssembly.assemble(config, clock, options));
  }

  /**
   * Lets the node of {@code config} start anew on purpose on a store other than the one it ran with
   * (spec R21.23): forgets the store it ran with, and makes it recover its numbering from its peers
   * before it signs again (R21.24).
   */
  public static void startAnew(NodeConfig config) throws IOException {
    java.nio.file.Files.deleteIfExists(config.dataDir().resolve(StoreMark.FILE));
    org.fedtrace.node.exchange.SequenceRecovery.begin(config.dataDir());
  }

  /** A Netty server builder listening on the configured address with mutual TLS. */
  public ServerBuilder<?> defaultServerBuilder() throws IOException {
    NodeConfig.Listen listen = parts.config.listen();
    return NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()))
        .sslContext(serverTls());
  }

  /** The node's server TLS context: TLS 1.3, client certificate required. */
  public SslContext serverTls() throws SSLException {
    return MutualTls.server(
        parts.files.tls(),
        parts.files.validator(),
        Clock.systemUTC(),
        (end, reason) ->
            metrics().handshakeRefused(end, reason.name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** Starts serving on the configured address, following peers and running the background work. */
  public Node start() throws IOException {
    return start(defaultServerBuilder());
  }

  /**
   * Runs the sunset check and the purge, then serves through {@code builder} (tests and the
   * simulator inject theirs), follows the configured peers and schedules the background work.
   */
  public Node start(ServerBuilder<?> builder) throws IOException {
    parts.jobs.housekeeping(); // R21.1, R21.9: before any listener opens
    builder.maxInboundMessageSize(parts.config.limits().maxMessageBytes());
    for (ServerServiceDefinition s : parts.services) {
      builder.addService(s);
    }
    server = builder.build().start();
    Lifecycle lifecycle = parts.exchange.lifecycle();
    lifecycle.serve();
    parts.health.refresh();
    if (parts.finder != null) {
      parts.exchange.notifier().add(parts.finder::wake);
      parts.finder.wake(); // batches stored before a crash and not yet matched
    }
    parts.jobs.exchangeWithPeers(); // each configured peer whose lease this replica takes
    parts.jobs.schedule(parts.config.retention().purgeIntervalSeconds());
    if (parts.statistics != null) {
      // transparency.md §16: each day released once, after the delay
      parts.statistics.schedule(
          new JobLease(
              parts.exchange.store(), "statistics", parts.replica, parts.exchange.clock()));
    }
    if (parts.export != null) {
      parts.export.schedule(); // spec §24: the export directory follows the hourly windows
    }
    if (parts.finder != null && parts.matchingLease != null) {
      // one replica matches: this one takes its turn when the lease is free, keeps it by renewing
      long renew = JobLease.TTL_MILLIS / 3;
      parts.finder.takeTurn();
      parts
          .exchange
          .scheduler()
          .scheduleWithFixedDelay(parts.finder::takeTurn, renew, renew, TimeUnit.MILLISECONDS);
    }
    // a Watch learns of the sunset within a second; calls read the state themselves
    parts
        .exchange
        .scheduler()
        .scheduleWithFixedDelay(parts.health::refresh, 1, 1, TimeUnit.SECONDS);
    NodeConfig.Health health = parts.config.health();
    if (health.port() > 0) {
      // plaintext, and only the Health service: for probes without a client certificate
      healthServer =
          NettyServerBuilder.forAddress(new InetSocketAddress(health.host(), health.port()))
              .addService(parts.health.service())
              .build()
              .start();
    }
    if (parts.config.metrics().port() > 0) {
      metricsServer =
          HTTPServer.builder()
              .hostname(parts.config.metrics().host())
              .port(parts.config.metrics().port())
              .registry(metrics().registry())
              .buildAndStart();
    }
    if (parts.config.publicSite().enabled()) {
      publicEndpoint = startPublicEndpoint();
    }
    Agreement agreement = parts.files.agreement();
    LOG.info(
        "event=node_started identity={} port={} federation={} agreement_version={}"
            + " retention_days={} sunset={} peers={} tls={}",
        identity(),
        server.getPort(),
        agreement.federation(),
        agreement.version(),
        agreement.retentionDays(),
        agreement.sunsetDate(),
        parts.config.peers().size(),
        MutualTls.provider());
    return this;
  }

  /** The public transparency endpoint (spec transparency.md §14): HTTPS, no client certificate. */
  private PublicEndpoint startPublicEndpoint() throws IOException {
    PublicSite site = parts.config.publicSite();
    SSLContext tls;
    try {
      tls =
          site.certificate() == null
              ? MutualTls.publicServer(parts.files.tls())
              : MutualTls.publicServer(
                  Pem.readPrivateKey(site.key()), Pem.readCertificates(site.certificate()));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IOException("public.certificate: cannot use it: " + e.getMessage(), e);
    }
    return PublicEndpoint.start(
        site,
        tls,
        transparencyLog(),
        agreement(),
        identity(),
        parts.statisticsView,
        Clock.systemUTC());
  }

  /**
   * Releases the statistics that are due now (transparency.md §16), as the node's job does every
   * minute: for tests and the simulator, which drive the clock.
   *
   * @throws IllegalStateException when the node's statistics are off
   */
  public StatisticsJob.Result releaseStatistics() {
    if (parts.statistics == null) {
      throw new IllegalStateException("statistics.enabled is false");
    }
    return parts.statistics.run();
  }

  /**
   * Exchanges with one more peer (besides those configured), over mutual TLS, expecting its
   * certificate to name {@code peer}'s identity.
   */
  public void follow(NodeConfig.Peer peer) throws IOException {
    parts.peers.follow(peer);
  }

  /**
   * Stops exchanging with every peer (the simulator does this on all nodes before stopping any).
   */
  public void unfollowAll() {
    parts.peers.unfollowAll();
  }

  /**
   * Starts draining without closing the listener (spec §21.1: DRAINING, listeners open, refusing):
   * new calls are refused with UNAVAILABLE (R21.2), open subscriptions end (R21.3), the peers are
   * left, and the health service reports NOT_SERVING, so that peers reaching this node as one of a
   * member's replicas send their calls to another. {@link #stop} finishes. Draining a node that
   * drains or stopped already does nothing.
   */
  public void drain() {
    Lifecycle lifecycle = parts.exchange.lifecycle();
    if (!lifecycle.drain()) {
      return;
    }
    parts.health.refresh();
    parts.exchange.notifier().batchStored();
    unfollowAll();
    parts.jobs.releaseLeases(); // another replica takes the peers over at once
    if (parts.matchingLease != null) {
      try {
        parts.matchingLease.release();
      } catch (RuntimeException e) {
        LOG.warn("event=lease_release_failed lease=operator-matching error=\"{}\"", e.getMessage());
      }
    }
  }

  /**
   * Drains (unless {@link #drain} did) and stops: in-flight calls (and their commits) finish within
   * {@code grace}, then the store closes. Stopping a node that stops or stopped already does
   * nothing.
   */
  public void stop(Duration grace) throws InterruptedException {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    drain();
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    }
    parts.peers.close(); // the witness rounds' threads end
    parts.exchange.scheduler().shutdown();
    parts.exchange.scheduler().awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (parts.finder != null) {
      parts.finder.stop();
    }
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (publicEndpoint != null) {
      publicEndpoint.stop();
    }
    store().close();
    parts.files.close();
    parts.exchange.lifecycle().stopped();
    LOG.info("event=node_stopped identity={}", identity());
  }

  /** This replica's name in the leases of the jobs it runs (see {@code JobLease}). */
  public String replica() {
    return parts.replica;
  }

  /** Waits until the server has terminated. */
  public void blockUntilShutdown() throws InterruptedException {
    if (server != null) {
      server.awaitTermination();
    }
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /** The port of the public transparency endpoint; -1 when it is off. */
  public int publicPort() {
    return publicEndpoint == null ? -1 : publicEndpoint.port();
  }

  /** The node's identity. */
  public OperatorIdentity identity() {
    return parts.files.identity();
  }

  /** The node's store (read access for tools and tests). */
  public Store store() {
    return parts.exchange.store();
  }

  /** The node's transparency log. */
  public TransparencyLog transparencyLog() {
    return parts.exchange.log();
  }

  /** The node's metrics. */
  public NodeMetrics metrics() {
    return parts.exchange.metrics();
  }

  /** The agreement the node enforces. */
  public Agreement agreement() {
    return parts.files.agreement();
  }

  /** Publishes due own batches now (the simulator drives batching on simulated time). */
  public int publishDue(boolean flush) {
    return parts.jobs.publishDue(flush);
  }

  /**
   * In operator mode, matches every stored batch not matched yet, now, and returns how many it
   * matched; in device mode returns 0. A node with background work also matches on its own after
   * every stored batch; the simulator and tests without background work call this.
   */
  public int matchStored() {
    return parts.finder == null ? 0 : parts.finder.matchStored();
  }

  /** Runs the sunset check and the retention purge now. */
  public void housekeeping() {
    parts.jobs.housekeepingQuietly();
  }
}
