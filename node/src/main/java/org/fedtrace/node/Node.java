package org.fedtrace.node;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sqlite.SqliteStore;
import org.fedtrace.tlog.LogIntegrityException;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.transport.PeerIdentityInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A federation node: loads and checks its configuration, credentials and agreement, opens its
 * store, serves the Federation and Upload services (plus health and reflection, and in
 * operator-assisted mode the OperatorMatching service) behind the peer identity interceptor over
 * mutual TLS, follows its peers, publishes its own batches, purges past retention and enforces the
 * sunset.
 *
 * <p>Lifecycle: {@link #start}, then {@link #stop} (drains: new calls get UNAVAILABLE, in-flight
 * commits finish, within a bounded wait) and {@link #blockUntilShutdown}.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  /** Protocol package this node speaks. */
  public static final String PROTOCOL_VERSION = "fedtrace.v1";

  /** The feature name of operator-assisted matching (spec §6.3, §15). */
  public static final String OPERATOR_MATCHING = "operator-matching";

  private final NodeConfig config;
  private final Clock clock;
  private final OperatorIdentity identity;
  private final OperatorCredentials credentials;
  private final CertificateValidator validator;
  private final Agreement agreement;
  private final Store store;
  private final NodeMetrics metrics = new NodeMetrics();
  private final Lifecycle lifecycle;
  private final BatchNotifier notifier = new BatchNotifier();
  private final ScheduledExecutorService scheduler;
  private final NodeServices services;
  private final Batcher batcher;
  private final Housekeeping housekeeping;
  private final Uploads uploads;
  private final ExposureFinder exposureFinder;
  private final OperatorMatchingGrpc.OperatorMatchingImplBase operatorMatching;
  private final Ingest ingest;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Set<Fault> faults;
  private final TransparencyLog log;
  private final MutualTls.Clients clientTls;
  private final boolean backgroundWork;
  private final List<PeerPush> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<PeerSync> syncs = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Random jitter = new Random();
  private Server server;
  private HTTPServer metricsServer;

  private Node(NodeConfig config, Clock clock, Loaded loaded, Store store, Options options) {
    this.faults = Set.copyOf(options.faults());
    this.clientTls =
        MutualTls.clients(loaded.credentials().tls(), loaded.validator(), Clock.systemUTC());
    this.backgroundWork = options.backgroundWork();
    this.config = config;
    this.clock = clock;
    this.credentials = loaded.credentials();
    this.identity = credentials.identity();
    this.validator = loaded.validator();
    this.agreement = loaded.agreement();
    this.store = store;
    this.lifecycle =
        new Lifecycle(agreement.sunsetDate(), clock, !faults.contains(Fault.IGNORE_SUNSET));
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fedtrace-node-" + identity.country());
              t.setDaemon(true);
              return t;
            });
    TransparencyLog log = loaded.log();
    this.log = log;
    RateLimits rateLimits =
        new RateLimits(config.requestsPerSecondPerPeer(), config.keysPerSecondPerPeer(), clock);
    BatchRules rules =
        new BatchRules(
            agreement.retentionDays(),
            config.maxKeysPerBatch(),
            !faults.contains(Fault.IGNORE_RETENTION));
    this.ingest =
        new Ingest(
            new Admission(rules, agreement.members(), validator, clock, faults),
            store,
            log,
            metrics,
            notifier,
            faults);
    this.services =
        new NodeServices(
            store,
            ingest,
            lifecycle,
            rateLimits,
            metrics,
            log,
            notifier,
            scheduler,
            nodeInfo(),
            config.heartbeatMillis(),
            config.forward(),
            clock,
            agreement.retentionDays());
    this.batcher =
        new Batcher(
            identity.country(),
            new BatchSigner(
                SigningKey.fromPrivateKey(credentials.signing().privateKey()),
                encoded(credentials.signing().certificate())),
            store,
            log,
            metrics,
            notifier,
            clock,
            options.random(),
            config.batchMaxKeys(),
            config.batchMaxAgeSeconds(),
            config.batchMinKeys(),
            config.batchMinUploads(),
            config.batchMaxHoldSeconds());
    this.exposureFinder =
        config.matchingMode() == NodeConfig.MatchingMode.OPERATOR
            ? ExposureFinder.open(
                store,
                config.matchingThreads(),
                RiskModel.withThreshold(config.notifyThreshold()),
                metrics,
                lifecycle,
                clock,
                identity.country(),
                backgroundWork)
            : null;
    if (exposureFinder == null) {
      eraseOperatorData(store);
    }
    this.operatorMatching =
        exposureFinder == null
            ? new OperatorMatchingService.NotOffered(metrics)
            : new OperatorMatchingService(
                identity.country(),
                agreement.retentionDays(),
                config.maxObservationsPerDevice(),
                exposureFinder,
                metrics,
                lifecycle,
                rateLimits,
                clock);
    this.housekeeping =
        new Housekeeping(
            identity.country(),
            agreement.retentionDays(),
            store,
            log,
            lifecycle,
            clock,
            exposureFinder);
    this.uploads =
        new Uploads(
            identity.country(),
            rules,
            loaded.healthAuthorities(),
            config.maxAuthorizationLifetimeSeconds(),
            Uploads.MAX_KEYS,
            store,
            log,
            metrics,
            lifecycle,
            rateLimits,
            clock,
            this::keysPending);
  }

  /** An upload left keys pending: publish what is due now, unless the simulator drives batching. */
  private void keysPending() {
    if (backgroundWork) {
      scheduler.execute(this::publishDueQuietly);
    }
  }

  /** What a node needs from files before it can start. */
  private record Loaded(
      CertificateValidator validator,
      Agreement agreement,
      OperatorCredentials credentials,
      HealthAuthorities healthAuthorities,
      TransparencyLog log) {}

  /**
   * How a node is built beyond its configuration.
   *
   * @param random source of batch ids and padding keys: a {@link SecureRandom} in production
   *     (R8.26); the simulator passes a seeded generator so its runs repeat exactly
   * @param faults deliberate defects, only for the conformance fault-switch test
   * @param backgroundWork whether the node batches (periodically and right after an upload), purges
   *     and checks the sunset on its own schedule; the simulator turns it off and drives {@link
   *     #publishDue} and {@link #housekeeping} on simulated time, so that a batch holds the same
   *     keys whatever the threads' timing
   */
  public record Options(Random random, Set<Fault> faults, boolean backgroundWork) {
    /** Production options: a secure random source, no faults, background work on. */
    public static Options defaults() {
      return new Options(new SecureRandom(), Set.of(), true);
    }
  }

  /**
   * Loads the node's files and checks them (spec R2.2, R2.7): the federation authority, the signed
   * agreement, the credentials (valid for their purposes, same operator, a member), the national
   * trust list; opens the store.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  public static Node create(NodeConfig config, Clock clock) throws NodeStartException {
    return create(config, clock, Options.defaults());
  }

  /** A node built with {@code options}. */
  public static Node create(NodeConfig config, Clock clock, Options options)
      throws NodeStartException {
    CertificateValidator validator = loadValidator(config.caCertificate());
    Agreement agreement = loadAgreement(config.agreement(), validator.authority());
    OperatorCredentials credentials;
    try {
      credentials = OperatorCredentials.load(config.credentials(), validator, clock.instant());
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw new NodeStartException(
          "credentials: cannot use " + config.credentials() + ": " + e.getMessage());
    }
    if (!agreement.isMember(credentials.identity())) {
      throw new NodeStartException(
          "credentials: "
              + credentials.identity()
              + " is not a member of the agreement "
              + agreement.federation()
              + " version "
              + agreement.version());
    }
    HealthAuthorities authorities =
        healthAuthorities(agreement, config.healthAuthorityKeys(), credentials.identity());
    Store store = openStore(config.dataDir(), agreement);
    TransparencyLog log;
    try {
      log =
          TransparencyLog.open(
              store.logDatabase(),
              credentials.identity(),
              SigningKey.fromPrivateKey(credentials.signing().privateKey()),
              encoded(credentials.signing().certificate()),
              clock);
    } catch (LogIntegrityException e) {
      store.close();
      throw new NodeStartException("dataDir: the transparency log is damaged: " + e.getMessage());
    }
    return new Node(
        config,
        clock,
        new Loaded(validator, agreement, credentials, authorities, log),
        store,
        options);
  }

  private static Store openStore(Path dataDir, Agreement agreement) throws NodeStartException {
    Store store;
    try {
      store = SqliteStore.open(dataDir);
    } catch (StoreException e) {
      throw new NodeStartException("dataDir: " + e.getMessage());
    }
    try {
      store.write(
          tx -> {
            tx.agreements().record(agreement.version(), agreement.sha256());
            return null;
          });
    } catch (StoreException e) {
      store.close();
      throw new NodeStartException("federation.agreement: " + e.getMessage());
    }
    return store;
  }

  /**
   * A node with deliberate defects ({@link Fault}), for the test that proves the conformance suite
   * catches broken nodes. No configuration setting or command reaches this.
   */
  public static Node createWithFaults(NodeConfig config, Clock clock, Set<Fault> faults)
      throws NodeStartException {
    return create(config, clock, new Options(new SecureRandom(), faults, true));
  }

  private static CertificateValidator loadValidator(Path caFile) throws NodeStartException {
    try {
      return CertificateValidator.trusting(Pem.readCertificate(caFile));
    } catch (IOException | CertificateException e) {
      throw new NodeStartException(
          "federation.caCertificate: cannot use " + caFile + ": " + e.getMessage());
    }
  }

  private static Agreement loadAgreement(Path file, X509Certificate ca) throws NodeStartException {
    Path sig = file.resolveSibling(file.getFileName() + ".sig");
    try {
      return Agreement.verify(Files.readAllBytes(file), Files.readAllBytes(sig), ca);
    } catch (IOException | AgreementException e) {
      throw new NodeStartException(
          "federation.agreement: cannot use " + file + ": " + e.getMessage());
    }
  }

  private static HealthAuthorities healthAuthorities(
      Agreement agreement, List<Path> nationalKeys, OperatorIdentity self)
      throws NodeStartException {
    HealthAuthorities.Builder b = HealthAuthorities.builder();
    for (HealthAuthority h : agreement.healthAuthorities()) {
      b.add(h.country(), h.name(), h.publicKey());
    }
    for (Path p : nationalKeys) {
      try {
        String pem = Files.readString(p);
        String body =
            pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        b.add(
            self.country(),
            p.getFileName().toString(),
            CertificateKeys.verifyingKeyFromSpki(Base64.getDecoder().decode(body)));
      } catch (IOException | IllegalArgumentException e) {
        throw new NodeStartException(
            "uploads.healthAuthorityKeys: cannot use "
                + p
                + " (an Ed25519 PUBLIC KEY in PEM): "
                + e.getMessage());
      }
    }
    return b.build();
  }

  private GetNodeInfoResponse nodeInfo() {
    GetNodeInfoResponse.Builder info =
        GetNodeInfoResponse.newBuilder()
            .setProtocolVersion(PROTOCOL_VERSION)
            .setNode(
                org.fedtrace.proto.v1.OperatorIdentity.newBuilder()
                    .setCountry(identity.country())
                    .setOperatorId(identity.operatorId()))
            .setAgreementSha256(ByteString.copyFrom(agreement.sha256()))
            .setFederation(agreement.federation())
            .setRetentionDays(agreement.retentionDays())
            .setSunsetDate(agreement.sunsetDate().toString())
            .setMaxKeysPerBatch(config.maxKeysPerBatch())
            .setMaxMessageBytes(config.maxMessageBytes())
            .addFeatures("subscribe")
            .addFeatures("upload")
            .addFeatures("transparency-log")
            .addFeatures("notice");
    if (config.matchingMode() == NodeConfig.MatchingMode.OPERATOR) {
      info.addFeatures(OPERATOR_MATCHING);
    }
    return info.build();
  }

  /**
   * In device mode, erases what an earlier run in operator-assisted mode left: nothing would purge
   * it past retention or erase it at the sunset (R15.22, R15.23) while the mode is off.
   */
  private static void eraseOperatorData(Store store) {
    long[] erased = store.write(tx -> tx.operator().eraseAll());
    if (erased[0] > 0 || erased[1] > 0) {
      LOG.warn(
          "event=operator_data_erased reason=device_mode observations_erased={}"
              + " exposures_erased={}",
          erased[0],
          erased[1]);
    }
  }

  /** A Netty server builder listening on the configured address with mutual TLS. */
  public ServerBuilder<?> defaultServerBuilder() throws IOException {
    return NettyServerBuilder.forAddress(
            new InetSocketAddress(config.listenHost(), config.listenPort()))
        .sslContext(serverTls());
  }

  /** The node's server TLS context: TLS 1.3, client certificate required. */
  public SslContext serverTls() throws SSLException {
    ClientAuth auth =
        faults.contains(Fault.ACCEPT_NO_CLIENT_CERTIFICATE)
            ? ClientAuth.OPTIONAL
            : ClientAuth.REQUIRE;
    return MutualTls.server(credentials.tls(), validator, Clock.systemUTC(), auth);
  }

  /** Starts serving on the configured address, following peers and running the background work. */
  public Node start() throws IOException {
    return start(defaultServerBuilder());
  }

  /**
   * Starts serving through {@code builder} (tests and the simulator inject theirs), then follows
   * the configured peers and schedules batching, purging and the sunset check.
   */
  public Node start(ServerBuilder<?> builder) throws IOException {
    housekeeping.enforceSunset();
    housekeeping.purge();
    PeerIdentityInterceptor identityCheck =
        new PeerIdentityInterceptor(
            validator,
            Clock.systemUTC(),
            agreement::isMember,
            faults.contains(Fault.ACCEPT_NO_CLIENT_CERTIFICATE) ? identity : null);
    server =
        builder
            .maxInboundMessageSize(config.maxMessageBytes())
            .addService(
                WellFormedRequests.of(
                    ServerInterceptors.intercept(new BatchExchange(services), identityCheck)))
            .addService(WellFormedRequests.of(ServerInterceptors.intercept(uploads, identityCheck)))
            .addService(
                WellFormedRequests.of(
                    ServerInterceptors.intercept(
                        new TransparencyLogService(log, this::draining, metrics), identityCheck)))
            .addService(
                WellFormedRequests.of(
                    ServerInterceptors.intercept(
                        new NoticeService(
                            identity.country(),
                            log,
                            commitment -> store.read(tx -> tx.notices().find(commitment)),
                            this::draining,
                            metrics),
                        identityCheck)))
            .addService(
                // device mode answers UNIMPLEMENTED before any identity check (§6.4 step 2)
                exposureFinder == null
                    ? operatorMatching.bindService()
                    : WellFormedRequests.of(
                        ServerInterceptors.intercept(operatorMatching, identityCheck)))
            .addService(ServerInterceptors.intercept(health.getHealthService(), identityCheck))
            .addService(
                ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), identityCheck))
            .build()
            .start();
    lifecycle.moveTo(Lifecycle.State.SERVING);
    if (exposureFinder != null) {
      notifier.add(exposureFinder::wake);
      exposureFinder.wake(); // batches stored before a crash and not yet matched
    }
    if (!lifecycle.pastSunset()) {
      startSyncs();
    }
    if (backgroundWork) {
      scheduler.scheduleWithFixedDelay(this::publishDueQuietly, 1, 1, TimeUnit.SECONDS);
      scheduler.scheduleWithFixedDelay(
          this::housekeepingQuietly,
          config.purgeIntervalSeconds(),
          config.purgeIntervalSeconds(),
          TimeUnit.SECONDS);
    }
    if (config.metricsPort() > 0) {
      metricsServer =
          HTTPServer.builder()
              .hostname("127.0.0.1")
              .port(config.metricsPort())
              .registry(metrics.registry())
              .buildAndStart();
    }
    LOG.info(
        "event=node_started identity={} port={} federation={} agreement_version={}"
            + " retention_days={} sunset={} peers={} tls={}",
        identity,
        server.getPort(),
        agreement.federation(),
        agreement.version(),
        agreement.retentionDays(),
        agreement.sunsetDate(),
        config.peers().size(),
        MutualTls.provider());
    return this;
  }

  private void startSyncs() throws IOException {
    for (NodeConfig.PeerConfig p : config.peers()) {
      follow(p);
    }
  }

  /**
   * Subscribes to one more peer (besides those configured), over mutual TLS, expecting its
   * certificate to name {@code p}'s identity.
   */
  public synchronized void follow(NodeConfig.PeerConfig p) throws IOException {
    OperatorIdentity peer = new OperatorIdentity(p.country(), p.operatorId());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(p.host(), p.port())
            .sslContext(clientTls.forPeer(peer))
            .maxInboundMessageSize(Math.max(config.maxMessageBytes(), 4 << 20))
            .idleTimeout(config.idleTimeoutSeconds(), TimeUnit.SECONDS)
            .build();
    if (p.mode() == NodeConfig.SyncMode.PUSH) {
      PeerPush push =
          new PeerPush(
              peer,
              channel,
              services,
              agreement.sha256(),
              config.deadlineMillis(),
              config.retryInitialMillis(),
              config.retryMaxMillis(),
              jitter);
      pushes.add(push);
      push.start();
      return;
    }
    PeerSync sync =
        new PeerSync(
            peer,
            channel,
            store,
            ingest,
            agreement.sha256(),
            config.deadlineMillis(),
            config.retryInitialMillis(),
            config.retryMaxMillis(),
            scheduler,
            jitter);
    syncs.add(sync);
    sync.start();
  }

  private boolean draining() {
    Lifecycle.State s = lifecycle.state();
    return s == Lifecycle.State.DRAINING || s == Lifecycle.State.STOPPED;
  }

  /** The node's transparency log. */
  public TransparencyLog transparencyLog() {
    return log;
  }

  /** Stops following every peer (the simulator does this on all nodes before stopping any). */
  public void unfollowAll() {
    syncs.forEach(PeerSync::stop);
    pushes.forEach(PeerPush::stop);
  }

  private void publishDueQuietly() {
    try {
      if (lifecycle.state() == Lifecycle.State.SERVING && !lifecycle.pastSunset()) {
        batcher.publishDue(false);
      }
    } catch (RuntimeException e) {
      LOG.error("event=batching_failed error=\"{}\"", e.getMessage(), e);
    }
  }

  private void housekeepingQuietly() {
    try {
      if (housekeeping.enforceSunset()) {
        unfollowAll();
        notifier.batchStored();
      }
      housekeeping.purge();
    } catch (RuntimeException e) {
      LOG.error("event=housekeeping_failed error=\"{}\"", e.getMessage(), e);
    }
  }

  /**
   * Drains and stops: new calls are refused with UNAVAILABLE, open streams end, in-flight calls
   * (and their commits) finish within {@code grace}, then the store closes.
   */
  public void stop(Duration grace) throws InterruptedException {
    lifecycle.moveTo(Lifecycle.State.DRAINING);
    health.enterTerminalState();
    notifier.batchStored();
    unfollowAll();
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    }
    scheduler.shutdown();
    scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (exposureFinder != null) {
      exposureFinder.stop();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    store.close();
    lifecycle.moveTo(Lifecycle.State.STOPPED);
    LOG.info("event=node_stopped identity={}", identity);
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

  /** The node's identity. */
  public OperatorIdentity identity() {
    return identity;
  }

  /** The node's store (read access for tools and tests). */
  public Store store() {
    return store;
  }

  /** The node's metrics. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The agreement the node enforces. */
  public Agreement agreement() {
    return agreement;
  }

  /** Publishes due own batches now (the simulator drives batching on simulated time). */
  public int publishDue(boolean flush) {
    return batcher.publishDue(flush);
  }

  /**
   * In operator mode, matches every stored batch not matched yet, now, and returns how many it
   * matched; in device mode returns 0. A node with background work also matches on its own after
   * every stored batch; the simulator and tests without background work call this.
   */
  public int matchStored() {
    return exposureFinder == null ? 0 : exposureFinder.matchStored();
  }

  /** Runs the sunset check and the retention purge now. */
  public void housekeeping() {
    housekeepingQuietly();
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a loaded certificate cannot be encoded", e);
    }
  }
}
