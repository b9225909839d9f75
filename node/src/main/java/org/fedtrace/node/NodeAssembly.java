package org.fedtrace.node;

import com.google.protobuf.ByteString;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.exchange.BatchAdmission;
import org.fedtrace.node.exchange.BatchNotifier;
import org.fedtrace.node.exchange.Batcher;
import org.fedtrace.node.exchange.Deliveries;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.Housekeeping;
import org.fedtrace.node.exchange.Ingest;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.exchange.PeerLeases;
import org.fedtrace.node.exchange.Peers;
import org.fedtrace.node.exchange.SequenceRecovery;
import org.fedtrace.node.exchange.Witness;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.node.operator.ExposureFinder;
import org.fedtrace.node.rpc.FederationService;
import org.fedtrace.node.rpc.NoticeService;
import org.fedtrace.node.rpc.OperatorMatchingService;
import org.fedtrace.node.rpc.RateLimits;
import org.fedtrace.node.rpc.RpcServices;
import org.fedtrace.node.rpc.TransparencyLogService;
import org.fedtrace.node.rpc.UploadService;
import org.fedtrace.node.rpc.WitnessingService;
import org.fedtrace.node.stats.StatisticsJob;
import org.fedtrace.node.stats.StatisticsView;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.MemberOrigins;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.proto.v1.WitnessingGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.stats.StatisticsPolicy;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.tlog.LogIntegrityException;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.transport.PeerIdentityInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a node's parts from its configuration and files, each from the parts it needs, passing
 * every part the seam may replace through {@link NodeSeam}. The {@link Node} facade holds the
 * result.
 */
final class NodeAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAssembly.class);

  /** Protocol package the node speaks. */
  static final String PROTOCOL_VERSION = "fedtrace.v1";

  /** The feature name of operator-assisted matching (spec §6.3, §15). */
  static final String OPERATOR_MATCHING = "operator-matching";

  final NodeConfig config;
  final NodeFiles files;
  final ExchangeContext exchange;
  final ExposureFinder finder;
  final Peers peers;
  final NodeJobs jobs;

  /** This replica's name among those sharing the store, in its leases. */
  final String replica;

  /**
   * The lease of operator-assisted matching, which one of the replicas of a node on PostgreSQL
   * runs; null on SQLite and in device mode.
   */
  final JobLease matchingLease;

  final NodeHealth health;
  final List<ServerServiceDefinition> services;

  /** The export directory's keeper, or null when the node keeps none. */
  final ExportJob export;

  /** The statistics' releases (transparency.md §16, null when off), and their public form. */
  final StatisticsJob statistics;

  final StatisticsView statisticsView;

  private NodeAssembly(
      NodeConfig config,
      NodeFiles files,
      ExchangeContext exchange,
      NodeOptions options,
      String replica,
      JobLease matchingLease,
      GaenExportWriter exportWriter) {
    this.config = config;
    this.replica = replica;
    this.matchingLease = matchingLease;
    this.files = files;
    this.exchange = exchange;
    Agreement agreement = files.agreement();
    BatchRules rules =
        options
            .seam()
            .rules(new BatchRules(agreement.retentionDays(), config.limits().maxKeysPerBatch()));
    SequenceRecovery recovery =
        SequenceRecovery.open(
            config.dataDir(),
            config.peers().stream()
                .filter(p -> p.mode() != NodeConfig.SyncMode.PUSH)
                .map(NodeConfig.Peer::identity)
                .toList());
    // the name of this member's batches: its country unless the country has several (§26.2)
    String origin = MemberOrigins.originOf(agreement.members(), files.identity());
    Ingest ingest =
        new Ingest(
            exchange,
            origin,
            options
                .seam()
                .admission(
                    new BatchAdmission(
                        rules, agreement.members(), files.validator(), exchange.clock())),
            recovery,
            agreement.terms().sharing());
    Deliveries deliveries =
        new Deliveries(
            exchange,
            config.federation().forward(),
            agreement.retentionDays(),
            agreement.members(),
            files.identity(),
            agreement.terms().sharing());
    this.finder = operatorMatching(origin, options.backgroundWork());
    this.peers =
        new Peers(
            exchange,
            config,
            MutualTls.clients(files.tls(), files.validator(), Clock.systemUTC()),
            ingest,
            deliveries,
            agreement.sha256(),
            new Witness(
                exchange.store(),
                exchange.metrics(),
                files.validator(),
                files.identity(),
                files.signer(),
                files.signingCertificate(),
                exchange.clock()));
    this.jobs =
        new NodeJobs(
            exchange,
            new Batcher(
                exchange,
                origin,
                new BatchSigner(files.signer(), files.signingCertificate()),
                config.batching(),
                options.random(),
                recovery),
            new Housekeeping(
                exchange,
                origin,
                agreement.retentionDays(),
                new JobLease(exchange.store(), "purge", replica, exchange.clock())),
            finder,
            peers,
            new PeerLeases(exchange, peers, config.peers(), replica),
            options.backgroundWork());
    this.health = health(exchange.lifecycle(), finder != null);
    this.services = services(rules, ingest, deliveries, options.seam());
    this.export =
        exportWriter == null
            ? null
            : new ExportJob(exchange, config.export(), exportWriter, replica, origin);
    StatisticsPolicy stats = config.statistics().enabled() ? config.statistics().policy() : null;
    List<String> countries =
        agreement.members().stream().map(OperatorIdentity::country).distinct().toList();
    this.statistics =
        StatisticsJob.ofPolicy(
            exchange,
            stats,
            files.identity().country(),
            files.authorities().names(files.identity().country()),
            countries);
    this.statisticsView = new StatisticsView(exchange.store(), stats, countries.size());
  }

  /**
   * Loads and checks the node's files, opens its store and its transparency log, and builds the
   * parts.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  static NodeAssembly assemble(NodeConfig config, Clock clock, NodeOptions options)
      throws NodeStartException {
    NodeFiles files = NodeFiles.load(config, clock);
    GaenExportWriter exportWriter;
    try {
      exportWriter = ExportJob.writer(config.export());
    } catch (NodeStartException e) {
      files.close();
      throw e;
    }
    Store store;
    try {
      store = options.seam().store(openStore(config, files.agreement()));
    } catch (NodeStartException | RuntimeException e) {
      files.close();
      throw e;
    }
    TransparencyLog log;
    try {
      log =
          TransparencyLog.open(
              store.logDatabase(),
              files.identity(),
              files.signer(),
              files.signingCertificate(),
              clock);
    } catch (LogIntegrityException e) {
      store.close();
      files.close();
      throw new NodeStartException("dataDir: the transparency log is damaged: " + e.getMessage());
    }
    Lifecycle lifecycle =
        new Lifecycle(
            options.seam().sunsetDate(files.agreement().sunsetDate()),
            clock,
            store.read(tx -> tx.agreements().sunsetReached()).isPresent());
    ScheduledExecutorService scheduler = scheduler(files.identity().country());
    BatchNotifier notifier = new BatchNotifier();
    if (config.store().kind() == NodeConfig.StoreKind.POSTGRESQL) {
      // a batch stored through another replica wakes this one's subscribers and matcher at once
      store.addBatchListener(notifier::batchStored);
    }
    ExchangeContext exchange =
        new ExchangeContext(store, log, new NodeMetrics(), notifier, lifecycle, clock, scheduler);
    String replica = replicaName(config.store().kind(), options.random());
    JobLease matching;
    try {
      matching = matchingLease(config, store, replica, clock);
    } catch (NodeStartException e) {
      scheduler.shutdownNow();
      store.close();
      files.close();
      throw e;
    }
    return new NodeAssembly(config, files, exchange, options, replica, matching, exportWriter);
  }

  /** The lease's name: the replica holding it runs operator-assisted matching on the store. */
  static final String OPERATOR_MATCHING_LEASE = "operator-matching";

  /**
   * Of the replicas sharing a PostgreSQL store, the one holding this lease runs operator-assisted
   * matching (the others take deposits and answer queries from the store); null on SQLite, one
   * process per store. Every replica must run the same mode: a replica in device mode erases the
   * operator tables at start, so it refuses to start while a replica in operator mode runs.
   */
  private static JobLease matchingLease(NodeConfig config, Store store, String replica, Clock clock)
      throws NodeStartException {
    if (config.store().kind() != NodeConfig.StoreKind.POSTGRESQL) {
      return null;
    }
    if (config.matching().mode() == NodeConfig.MatchingMode.OPERATOR) {
      return new JobLease(store, OPERATOR_MATCHING_LEASE, replica, clock);
    }
    String holder = holder(store, clock);
    if (!holder.isEmpty()) {
      throw new NodeStartException(
          "matching.mode: replica "
              + holder
              + " runs operator-assisted matching on this store; every replica of a node runs"
              + " one matching mode (device mode would erase its deposits)");
    }
    return null;
  }

  private static String holder(Store store, Clock clock) {
    return store.read(tx -> tx.leases().holder(OPERATOR_MATCHING_LEASE, clock.millis())).orElse("");
  }

  static Store openStore(NodeConfig config, Agreement agreement) throws NodeStartException {
    Store store = openEngine(config.store(), config.dataDir());
    try {
      StoreMark.check(config.dataDir(), store.epoch());
    } catch (NodeStartException e) {
      store.close();
      throw e;
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
   * This replica's name in the leases of jobs: on SQLite, whose file one node process writes, a
   * fixed one, so that a restarted node takes its jobs back at once; on PostgreSQL, one of its own
   * (host, process, random), so that replicas never mistake each other's leases.
   */
  private static String replicaName(NodeConfig.StoreKind kind, java.util.Random random) {
    if (kind == NodeConfig.StoreKind.SQLITE) {
      return "local";
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + Integer.toHexString(random.nextInt());
  }

  /** The store of the configured engine: SQLite in {@code dataDir}, or PostgreSQL. */
  private static Store openEngine(NodeConfig.StoreEngine engine, Path dataDir)
      throws NodeStartException {
    if (engine.kind() == NodeConfig.StoreKind.SQLITE) {
      try {
        return SqliteStore.open(dataDir);
      } catch (StoreException e) {
        throw new NodeStartException("dataDir: " + e.getMessage());
      }
    }
    String password = engine.password();
    if (engine.passwordFile() != null) {
      try {
        password = Files.readString(engine.passwordFile()).strip();
      } catch (IOException e) {
        throw new NodeStartException(
            "store.passwordFile: cannot read " + engine.passwordFile() + ": " + e.getMessage());
      }
    }
    try {
      return PostgresStore.open(
          new PostgresStore.Options(engine.url(), engine.user(), password, engine.poolSize()));
    } catch (StoreException e) {
      throw new NodeStartException("store: " + e.getMessage());
    }
  }

  private static ScheduledExecutorService scheduler(String country) {
    return Executors.newScheduledThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "fedtrace-node-" + country);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * In operator mode, the matching of stored batches against deposits. In device mode none, and
   * what an earlier run in operator mode left is erased: nothing would purge it past retention or
   * erase it at the sunset (R15.22, R15.23) while the mode is off.
   */
  private ExposureFinder operatorMatching(String origin, boolean backgroundWork) {
    if (config.matching().mode() == NodeConfig.MatchingMode.OPERATOR) {
      return ExposureFinder.open(
          exchange, config.matching(), origin, backgroundWork, matchingLease);
    }
    long[] erased = exchange.store().write(tx -> tx.operator().eraseAll());
    if (erased[0] > 0 || erased[1] > 0) {
      LOG.warn(
          "event=operator_data_erased reason=device_mode observations_erased={}"
              + " exposures_erased={}",
          erased[0],
          erased[1]);
    }
    return null;
  }

  private static NodeHealth health(Lifecycle lifecycle, boolean operatorMatching) {
    List<String> exchange =
        new ArrayList<>(List.of(FederationGrpc.SERVICE_NAME, UploadGrpc.SERVICE_NAME));
    if (operatorMatching) {
      exchange.add(OperatorMatchingGrpc.SERVICE_NAME);
    }
    return new NodeHealth(
        lifecycle,
        exchange,
        List.of(
            TransparencyLogGrpc.SERVICE_NAME,
            NoticeGrpc.SERVICE_NAME,
            WitnessingGrpc.SERVICE_NAME));
  }

  /** The node's gRPC services, each behind the checks its calls pass first. */
  private List<ServerServiceDefinition> services(
      BatchRules rules, Ingest ingest, Deliveries deliveries, NodeSeam seam) {
    int retentionDays = files.agreement().retentionDays();
    NodeConfig.Limits limits = config.limits();
    RpcServices rpc =
        new RpcServices(
            exchange.metrics(),
            exchange.lifecycle(),
            new RateLimits(
                limits.requestsPerSecondPerPeer(), limits.keysPerSecondPerPeer(), exchange.clock()),
            seam.identity(
                new PeerIdentityInterceptor(
                    files.validator(), Clock.systemUTC(), files.agreement()::isMember)));
    List<ServerServiceDefinition> out = new ArrayList<>();
    out.add(
        rpc.federation(
            new FederationService(
                exchange,
                ingest,
                deliveries,
                nodeInfo(),
                config.sync().heartbeatSeconds() * 1000)));
    out.add(
        rpc.home(
            new UploadService(
                exchange,
                files.identity(),
                rules,
                files.authorities(),
                config.uploads().maxAuthorizationLifetimeSeconds(),
                jobs::keysPending,
                config.statistics().enabled() ? config.statistics().policy() : null),
            Rule.PAST_SUNSET));
    out.add(
        rpc.log(
            new TransparencyLogService(exchange.log(), files.agreement().members().size() - 1)));
    out.add(
        rpc.log(
            new WitnessingService(exchange.log().cosigned(), files.validator(), exchange.clock())));
    out.add(
        rpc.log(
            new NoticeService(
                files.identity(),
                exchange.log(),
                commitment -> exchange.store().read(tx -> tx.notices().find(commitment)))));
    out.add(
        finder == null
            ? rpc.notOffered(new OperatorMatchingService.NotOffered())
            : rpc.home(
                new OperatorMatchingService(
                    finder,
                    files.identity(),
                    retentionDays,
                    config.matching().maxObservationsPerDevice(),
                    exchange.clock()),
                Rule.MATCHING_PAST_SUNSET));
    out.add(rpc.open(health::service));
    out.add(rpc.open(ProtoReflectionServiceV1.newInstance()));
    return out;
  }

  private GetNodeInfoResponse nodeInfo() {
    Agreement agreement = files.agreement();
    GetNodeInfoResponse.Builder info =
        GetNodeInfoResponse.newBuilder()
            .setProtocolVersion(PROTOCOL_VERSION)
            .setNode(
                org.fedtrace.proto.v1.OperatorIdentity.newBuilder()
                    .setCountry(files.identity().country())
                    .setOperatorId(files.identity().operatorId()))
            .setAgreementSha256(ByteString.copyFrom(agreement.sha256()))
            .setFederation(agreement.federation())
            .setRetentionDays(agreement.retentionDays())
            .setSunsetDate(agreement.sunsetDate().toString())
            .setMaxKeysPerBatch(config.limits().maxKeysPerBatch())
            .setMaxMessageBytes(config.limits().maxMessageBytes())
            .addAllFeatures(
                List.of("subscribe", "upload", "transparency-log", "witnessing", "notice"));
    if (config.matching().mode() == NodeConfig.MatchingMode.OPERATOR) {
      info.addFeatures(OPERATOR_MATCHING);
    }
    return info.build();
  }
}
