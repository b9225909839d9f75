package org.fedtrace.node.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.pki.OperatorIdentity;

/**
 * A node's configuration: one immutable, validated value whose sections mirror the sections of its
 * YAML file ({@link Settings} lists every setting with its default and unit). It is read from a
 * file ({@link #load}) or made in code through a {@link Builder}; both go through the same checks,
 * so a node refuses to start on an invalid value and says which. Relative paths in a file resolve
 * against the file's folder.
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
   * @param identity the identity the peer's certificate must carry
   */
  public record Peer(OperatorIdentity identity, String host, int port, SyncMode mode) {
    /** A peer this node subscribes to. */
    public static Peer subscribe(OperatorIdentity identity, String host, int port) {
      return new Peer(identity, host, port, SyncMode.SUBSCRIBE);
    }

    /** A peer this node pushes its batches to. */
    public static Peer push(OperatorIdentity identity, String host, int port) {
      return new Peer(identity, host, port, SyncMode.PUSH);
    }
  }

  /** Calls to peers and subscriptions served. */
  public record Sync(
      long idleTimeoutSeconds,
      long deadlineMillis,
      long heartbeatSeconds,
      long retryInitialMillis,
      long retryMaxMillis) {}

  /** How the node turns uploaded keys into its own batches (spec R21.14–R21.17). */
  public record Batching(
      int maxKeys, int maxAgeSeconds, int minUploads, int maxHoldSeconds, int minKeys) {}

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
    /** Copies the list. */
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
    /**
     * Subscribers who opt in deposit their observations at this node, which matches every batch it
     * stores and holds the exposures for them (the OperatorMatching service).
     */
    OPERATOR
  }

  /** Operator-assisted matching. */
  public record Matching(
      MatchingMode mode, double notifyThreshold, int maxObservationsPerDevice, int threads) {}

  /** The Prometheus endpoint; port 0 disables it. */
  public record Metrics(int port) {}

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
  private final Keys keys;

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
            b.batching.minKeys());
    this.limits = b.limits;
    this.uploads = b.uploads;
    this.retention = b.retention;
    this.matching = b.matching;
    this.metrics = b.metrics;
    this.keys = b.keys;
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
        .keys(keys);
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

  /** The keys section: where the batch-signing key is kept. */
  public Keys keys() {
    return keys;
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
        keys);
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
    private Listen listen;
    private Path dataDir;
    private Path credentials;
    private Federation federation;
    private List<Peer> peers = List.of();
    private Sync sync;
    private Batching batching;
    private Limits limits;
    private Uploads uploads;
    private Retention retention;
    private Matching matching;
    private Metrics metrics;
    private Keys keys;

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

    /** Sets the keys section. */
    public Builder keys(Keys value) {
      this.keys = value;
      return this;
    }

    /**
     * The configuration, once every value is in its range.
     *
     * @throws InvalidConfigException naming the first setting out of range
     */
    public NodeConfig build() throws InvalidConfigException {
      List<Object> sections =
          java.util.Arrays.asList(
              listen,
              dataDir,
              credentials,
              federation,
              sync,
              batching,
              limits,
              uploads,
              retention,
              matching,
              metrics,
              keys);
      if (sections.contains(null)) {
        throw new IllegalStateException("every section of a node configuration must be set");
      }
      new Checks(this).run();
      return new NodeConfig(this);
    }
  }

  /** The ranges and the rules between settings, in the order of {@link Settings#ALL}. */
  private record Checks(Builder b) {
    void run() throws InvalidConfigException {
      port("listen", b.listen.port(), b.listen.host() + ":" + b.listen.port());
      range("batching.maxKeys", b.batching.maxKeys(), 1, 100_000);
      // R7.5 and R6.12: every node accepts batches of 10,000 keys and messages of 4 MiB
      range("limits.maxKeysPerBatch", b.limits.maxKeysPerBatch(), 10_000, 1_000_000);
      // R21.17: no published batch holds fewer than 64 keys
      range("batching.minKeys", b.batching.minKeys(), 64, 100_000);
      if (b.batching.minKeys() > b.limits.maxKeysPerBatch()) {
        throw new InvalidConfigException(
            "batching.minKeys: "
                + b.batching.minKeys()
                + " exceeds limits.maxKeysPerBatch "
                + b.limits.maxKeysPerBatch());
      }
      range("batching.maxAgeSeconds", b.batching.maxAgeSeconds(), 1, 86_400);
      range("batching.maxHoldSeconds", b.batching.maxHoldSeconds(), 1, 86_400);
      if (b.batching.maxHoldSeconds() < b.batching.maxAgeSeconds()) {
        throw new InvalidConfigException(
            "batching.maxHoldSeconds: must be at least batching.maxAgeSeconds ("
                + b.batching.maxAgeSeconds()
                + ")");
      }
      range("sync.retryInitialMillis", b.sync.retryInitialMillis(), 1, 3_600_000);
      range("sync.retryMaxMillis", b.sync.retryMaxMillis(), 1, 86_400_000);
      if (b.sync.retryMaxMillis() < b.sync.retryInitialMillis()) {
        throw new InvalidConfigException(
            "sync.retryMaxMillis: must be at least sync.retryInitialMillis ("
                + b.sync.retryInitialMillis()
                + ")");
      }
      range("batching.minUploads", b.batching.minUploads(), 1, 1_000);
      range("limits.maxMessageBytes", b.limits.maxMessageBytes(), 4 << 20, 256 << 20);
      positive("limits.requestsPerSecondPerPeer", b.limits.requestsPerSecondPerPeer());
      positive("limits.keysPerSecondPerPeer", b.limits.keysPerSecondPerPeer());
      range("sync.deadlineMillis", b.sync.deadlineMillis(), 1, 3_600_000);
      range("sync.heartbeatSeconds", b.sync.heartbeatSeconds(), 1, 3_600);
      range("sync.idleTimeoutSeconds", b.sync.idleTimeoutSeconds(), 1, 86_400);
      range(
          "uploads.maxAuthorizationLifetimeSeconds",
          b.uploads.maxAuthorizationLifetimeSeconds(),
          1,
          3_600);
      // R21.12, R15.22: purge at least once an hour (the sunset check runs with it, R15.23)
      range("retention.purgeIntervalSeconds", b.retention.purgeIntervalSeconds(), 1, 3_600);
      positive("matching.notifyThreshold", b.matching.notifyThreshold());
      range(
          "matching.maxObservationsPerDevice",
          b.matching.maxObservationsPerDevice(),
          1,
          100_000_000);
      range("matching.threads", b.matching.threads(), 1, 64);
      range("metrics.port", b.metrics.port(), 0, 65_535);
      b.keys.check();
      peers();
    }

    private void peers() throws InvalidConfigException {
      Set<OperatorIdentity> seen = new HashSet<>();
      for (int i = 0; i < b.peers.size(); i++) {
        Peer p = b.peers.get(i);
        String where = "peers[" + i + "]";
        if (!seen.add(p.identity())) {
          throw new InvalidConfigException(
              where + ".identity: " + p.identity() + " is listed twice");
        }
        port(where + ".address", p.port(), p.host() + ":" + p.port());
      }
    }

    private static void port(String name, int port, String value) throws InvalidConfigException {
      if (port < 1 || port > 65_535) {
        throw new InvalidConfigException(
            name + ": expected host:port with a port in 1..65535, got '" + value + "'");
      }
    }

    private static void range(String name, long v, long min, long max)
        throws InvalidConfigException {
      if (v < min || v > max) {
        throw new InvalidConfigException(name + ": must be in " + min + ".." + max + ", got " + v);
      }
    }

    private static void positive(String name, double v) throws InvalidConfigException {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new InvalidConfigException(name + ": expected a positive number, got '" + v + "'");
      }
    }
  }
}
