package org.fedtrace.node.config;

import java.nio.file.Path;
import java.util.List;
import org.fedtrace.pki.OperatorIdentity;

/**
 * A node's configuration: one immutable, validated value mirroring the sections of its YAML file
 * ({@link Settings} lists every setting, default and unit), read from a file ({@link #load}) or
 * made through a {@link Builder}, with the same checks. Relative paths resolve against its folder.
 */
public final class NodeConfig {
  /** The gRPC listener. */
  public record Listen(String host, int port) {}

  /**
   * The federation the node belongs to.
   *
   * @param caCertificate the federation authority's certificate, the only trust anchor
   * @param agreement the signed agreement (its .sig file sits beside it)
   * @param forward whether batches received from peers are served to other peers too
   */
  public record Federation(Path caCertificate, Path agreement, boolean forward) {}

  /** How this node exchanges with a peer. */
  public enum SyncMode {
    /** This node subscribes to the peer's batches (pull, with the live tail). */
    SUBSCRIBE,
    /** This node pushes its batches to the peer with PublishBatch. */
    PUSH
  }

  /**
   * A peer this node exchanges with.
   *
   * @param identity the identity the peer's certificate must carry, whichever address answers
   * @param addresses where the peer listens: one, or one per replica of its node (a member may run
   *     several replicas behind one identity); calls go to a healthy one
   */
  public record Peer(OperatorIdentity identity, List<PeerAddress> addresses, SyncMode mode) {
    public Peer {
      addresses = List.copyOf(addresses);
    }

    /** A peer this node subscribes to, at one address. */
    public static Peer subscribe(OperatorIdentity identity, String host, int port) {
      return new Peer(identity, List.of(new PeerAddress(host, port)), SyncMode.SUBSCRIBE);
    }

    /** A peer this node pushes its batches to, at one address. */
    public static Peer push(OperatorIdentity identity, String host, int port) {
      return new Peer(identity, List.of(new PeerAddress(host, port)), SyncMode.PUSH);
    }
  }

  /** Calls to peers and subscriptions served. */
  public record Sync(
      long idleTimeoutSeconds,
      long deadlineMillis,
      long heartbeatSeconds,
      long retryInitialMillis,
      long retryMaxMillis,
      long witnessIntervalSeconds) {}

  /** How the node turns uploaded keys into its own batches (spec R21.14–R21.17, R23.1). */
  public record Batching(
      int maxKeys,
      int maxAgeSeconds,
      int minUploads,
      int maxHoldSeconds,
      int minKeys,
      int decoyUploads) {}

  /** What the node accepts from one peer. */
  public record Limits(
      int maxKeysPerBatch,
      int maxMessageBytes,
      double requestsPerSecondPerPeer,
      double keysPerSecondPerPeer) {}

  /**
   * Uploads of the operator's own backend.
   *
   * @param healthAuthorityKeys the national trust list, trusted besides the agreement's authorities
   */
  public record Uploads(List<Path> healthAuthorityKeys, long maxAuthorizationLifetimeSeconds) {
    public Uploads {
      healthAuthorityKeys = List.copyOf(healthAuthorityKeys);
    }
  }

  /** The retention purge's schedule (the retention itself is the agreement's). */
  public record Retention(long purgeIntervalSeconds) {}

  /** Who matches diagnosis keys against what devices observed (spec §15). */
  public enum MatchingMode {
    /** Devices download the keys and match; the node learns nothing about exposures. */
    DEVICE,
    /** Opted-in subscribers' observations are matched here (the OperatorMatching service). */
    OPERATOR
  }

  /** Operator-assisted matching. */
  public record Matching(
      MatchingMode mode, double notifyThreshold, int maxObservationsPerDevice, int threads) {}

  /** The Prometheus endpoint, bound to {@code host}; port 0 disables it. */
  public record Metrics(String host, int port) {}

  /** A plaintext listener of grpc.health.v1.Health alone, for probes; port 0 disables it. */
  public record Health(String host, int port) {}

  /** The engine of the node's store. */
  public enum StoreKind {
    /** SQLite in {@code dataDir}: one process, the default. */
    SQLITE,
    /** A PostgreSQL database, which several replicas of the node may share. */
    POSTGRESQL
  }

  /**
   * Where the node's store is.
   *
   * @param url for PostgreSQL, {@code jdbc:postgresql://host:port/database}; else empty
   * @param user the database role, or empty
   * @param password the role's password written in the file, or empty (prefer {@code passwordFile})
   * @param passwordFile a file holding the password (a mounted secret), or null
   * @param poolSize the most connections to PostgreSQL this node opens
   */
  public record StoreEngine(
      StoreKind kind, String url, String user, String password, Path passwordFile, int poolSize) {
    @Override
    public String toString() {
      return "StoreEngine[kind=%s, url=%s, user=%s, password=%s, passwordFile=%s, poolSize=%d]"
          .formatted(kind, url, user, password.isEmpty() ? "" : "(set)", passwordFile, poolSize);
    }
  }

  private final Listen listen;
  private final Path dataDir;
  private final Path credentials;
  private final Federation federation;
  private final List<Peer> peers;
  private final Sync sync;
  private final Batching batching;
  private final Limits limits;
  private final Uploads uploads;
  private final Retention retention;
  private final Matching matching;
  private final Metrics metrics;
  private final StoreEngine store;
  private final Health health;
  private final Keys keys;
  private final Export export;
  private final PublicSite publicSite;
  private final StatisticsSection statistics;

  private NodeConfig(Builder b) {
    this.listen = b.listen;
    this.dataDir = b.dataDir;
    this.credentials = b.credentials;
    this.federation = b.federation;
    this.peers = List.copyOf(b.peers);
    this.sync = b.sync;
    // a batch of own keys is never larger than what a peer accepts
    this.batching =
        new Batching(
            Math.min(b.batching.maxKeys(), b.limits.maxKeysPerBatch()),
            b.batching.maxAgeSeconds(),
            b.batching.minUploads(),
            b.batching.maxHoldSeconds(),
            b.batching.minKeys(),
            b.batching.decoyUploads());
    this.limits = b.limits;
    this.uploads = b.uploads;
    this.retention = b.retention;
    this.matching = b.matching;
    this.metrics = b.metrics;
    this.store = b.store;
    this.health = b.health;
    this.keys = b.keys;
    this.export = b.export;
    this.publicSite = b.publicSite;
    this.statistics = b.statistics;
  }

  /**
   * Loads and validates a configuration file.
   *
   * @throws InvalidConfigException naming the first invalid or unknown setting
   */
  public static NodeConfig load(Path file) throws InvalidConfigException {
    return NodeConfigReader.read(file).build();
  }

  /** A configuration whose every setting has its default, paths resolved against {@code base}. */
  public static NodeConfig defaults(Path base) {
    try {
      return builder(base).build();
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("the defaults are invalid", e);
    }
  }

  /** A builder holding every default, paths resolved against {@code base}. */
  public static Builder builder(Path base) {
    return NodeConfigReader.defaults(base);
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .listen(listen)
        .dataDir(dataDir)
        .credentials(credentials)
        .federation(federation)
        .peers(peers)
        .sync(sync)
        .batching(batching)
        .limits(limits)
        .uploads(uploads)
        .retention(retention)
        .matching(matching)
        .metrics(metrics)
        .store(store)
        .health(health)
        .keys(keys)
        .export(export)
        .publicSite(publicSite)
        .statistics(statistics);
  }

  /** The gRPC listener. */
  public Listen listen() {
    return listen;
  }

  /** The folder of the node's store. */
  public Path dataDir() {
    return dataDir;
  }

  /** The folder of the operator's credentials (tls.crt, tls.key, signing.crt, signing.key). */
  public Path credentials() {
    return credentials;
  }

  /** The federation section. */
  public Federation federation() {
    return federation;
  }

  /** The peers this node exchanges with. */
  public List<Peer> peers() {
    return peers;
  }

  /** The sync section. */
  public Sync sync() {
    return sync;
  }

  /** The batching section. */
  public Batching batching() {
    return batching;
  }

  /** The limits section. */
  public Limits limits() {
    return limits;
  }

  /** The uploads section. */
  public Uploads uploads() {
    return uploads;
  }

  /** The retention section. */
  public Retention retention() {
    return retention;
  }

  /** The matching section. */
  public Matching matching() {
    return matching;
  }

  /** The metrics section. */
  public Metrics metrics() {
    return metrics;
  }

  /** The store section: which engine holds the node's store, and where. */
  public StoreEngine store() {
    return store;
  }

  /** The health section. */
  public Health health() {
    return health;
  }

  /** The keys section: where the batch-signing key is kept. */
  public Keys keys() {
    return keys;
  }

  /** The export section: key exports for devices. */
  public Export export() {
    return export;
  }

  /** The public section: the read-only transparency endpoint and page, without mTLS. */
  public PublicSite publicSite() {
    return publicSite;
  }

  /** The statistics section: differentially private statistics (transparency.md §16). */
  public StatisticsSection statistics() {
    return statistics;
  }

  private List<Object> sections() {
    return List.of(
        listen,
        dataDir,
        credentials,
        federation,
        peers,
        sync,
        batching,
        limits,
        uploads,
        retention,
        matching,
        metrics,
        store,
        health,
        keys,
        export,
        publicSite,
        statistics);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeConfig c && sections().equals(c.sections());
  }

  @Override
  public int hashCode() {
    return sections().hashCode();
  }

  @Override
  public String toString() {
    return "NodeConfig" + sections();
  }

  /** Collects sections, then checks them all in {@link #build}. Not thread-safe. */
  public static final class Builder {
    Listen listen;
    Path dataDir;
    Path credentials;
    Federation federation;
    List<Peer> peers = List.of();
    Sync sync;
    Batching batching;
    Limits limits;
    Uploads uploads;
    Retention retention;
    Matching matching;
    Metrics metrics;
    StoreEngine store;
    Health health;
    Keys keys;
    Export export;
    PublicSite publicSite;
    StatisticsSection statistics;

    Builder() {}

    /** Sets the listener. */
    public Builder listen(Listen value) {
      this.listen = value;
      return this;
    }

    /** Sets the store's folder. */
    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    /** Sets the credentials' folder. */
    public Builder credentials(Path value) {
      this.credentials = value;
      return this;
    }

    /** Sets the federation section. */
    public Builder federation(Federation value) {
      this.federation = value;
      return this;
    }

    /** Sets the peers. */
    public Builder peers(List<Peer> value) {
      this.peers = List.copyOf(value);
      return this;
    }

    /** Sets the sync section. */
    public Builder sync(Sync value) {
      this.sync = value;
      return this;
    }

    /** Sets the batching section. */
    public Builder batching(Batching value) {
      this.batching = value;
      return this;
    }

    /** Sets the limits section. */
    public Builder limits(Limits value) {
      this.limits = value;
      return this;
    }

    /** Sets the uploads section. */
    public Builder uploads(Uploads value) {
      this.uploads = value;
      return this;
    }

    /** Sets the retention section. */
    public Builder retention(Retention value) {
      this.retention = value;
      return this;
    }

    /** Sets the matching section. */
    public Builder matching(Matching value) {
      this.matching = value;
      return this;
    }

    /** Sets the metrics section. */
    public Builder metrics(Metrics value) {
      this.metrics = value;
      return this;
    }

    /** Sets the store section. */
    public Builder store(StoreEngine value) {
      this.store = value;
      return this;
    }

    /** Sets the health section. */
    public Builder health(Health value) {
      this.health = value;
      return this;
    }

    /** Sets the keys section. */
    public Builder keys(Keys value) {
      this.keys = value;
      return this;
    }

    /** Sets the export section. */
    public Builder export(Export value) {
      this.export = value;
      return this;
    }

    /** Sets the public section. */
    public Builder publicSite(PublicSite value) {
      this.publicSite = value;
      return this;
    }

    public Builder statistics(StatisticsSection value) {
      this.statistics = value;
      return this;
    }

    /**
     * The configuration, once every value is in its range.
     *
     * @throws InvalidConfigException naming the first setting out of range
     */
    public NodeConfig build() throws InvalidConfigException {
      new ConfigChecks(this).run();
      return new NodeConfig(this);
    }
  }
}
