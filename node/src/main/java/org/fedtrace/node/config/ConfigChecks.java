package org.fedtrace.node.config;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.pki.OperatorIdentity;

/** The ranges and the rules between settings, in the order of {@link Settings#ALL}. */
record ConfigChecks(NodeConfig.Builder b) {
  void run() throws InvalidConfigException {
    List<Object> sections =
        Arrays.asList(
            b.listen,
            b.dataDir,
            b.credentials,
            b.federation,
            b.sync,
            b.batching,
            b.limits,
            b.uploads,
            b.retention,
            b.matching,
            b.metrics,
            b.store,
            b.health,
            b.keys,
            b.export,
            b.publicSite,
            b.statistics);
    if (sections.contains(null)) {
      throw new IllegalStateException("every section of a node configuration must be set");
    }
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
    range("batching.decoyUploads", b.batching.decoyUploads(), 1, 1_000);
    range("limits.maxMessageBytes", b.limits.maxMessageBytes(), 4 << 20, 256 << 20);
    positive("limits.requestsPerSecondPerPeer", b.limits.requestsPerSecondPerPeer());
    positive("limits.keysPerSecondPerPeer", b.limits.keysPerSecondPerPeer());
    range("sync.deadlineMillis", b.sync.deadlineMillis(), 1, 3_600_000);
    range("sync.heartbeatSeconds", b.sync.heartbeatSeconds(), 1, 3_600);
    range("sync.witnessIntervalSeconds", b.sync.witnessIntervalSeconds(), 1, 3_600);
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
        "matching.maxObservationsPerDevice", b.matching.maxObservationsPerDevice(), 1, 100_000_000);
    range("matching.threads", b.matching.threads(), 1, 64);
    range("metrics.port", b.metrics.port(), 0, 65_535);
    range("health.port", b.health.port(), 0, 65_535);
    b.keys.check();
    b.export.check();
    b.publicSite.check();
    store();
    peers();
  }

  private void store() throws InvalidConfigException {
    NodeConfig.StoreEngine s = b.store;
    if (s.kind() == NodeConfig.StoreKind.SQLITE) {
      for (String set : new String[] {s.url(), s.user(), s.password()}) {
        if (!set.isEmpty()) {
          throw new InvalidConfigException(
              "store: url, user and password are for kind postgresql; kind sqlite keeps the"
                  + " store in dataDir");
        }
      }
      return;
    }
    if (!s.url().startsWith("jdbc:postgresql://")) {
      throw new InvalidConfigException(
          "store.url: expected jdbc:postgresql://host:port/database, got '" + s.url() + "'");
    }
    if (!s.password().isEmpty() && s.passwordFile() != null) {
      throw new InvalidConfigException(
          "store.password: give the password or store.passwordFile, not both");
    }
    range("store.poolSize", s.poolSize(), 2, 200);
  }

  private void peers() throws InvalidConfigException {
    Set<OperatorIdentity> seen = new HashSet<>();
    for (int i = 0; i < b.peers.size(); i++) {
      NodeConfig.Peer p = b.peers.get(i);
      String where = "peers[" + i + "]";
      if (!seen.add(p.identity())) {
        throw new InvalidConfigException(where + ".identity: " + p.identity() + " is listed twice");
      }
      PeerAddress.check(where, p.addresses());
    }
  }

  private static void port(String name, int port, String value) throws InvalidConfigException {
    if (port < 1 || port > 65_535) {
      throw new InvalidConfigException(
          name + ": expected host:port with a port in 1..65535, got '" + value + "'");
    }
  }

  private static void range(String name, long v, long min, long max) throws InvalidConfigException {
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
