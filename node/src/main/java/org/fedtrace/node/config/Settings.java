package org.fedtrace.node.config;

import java.util.List;

/**
 * Every setting of a node's configuration, in the order of the example file, with its default and
 * unit: what {@code fedtrace node --help} prints and what the loader accepts.
 */
public final class Settings {
  /** One documented setting. */
  public record Setting(String name, String defaultValue, String unit, String description) {}

  /** Every setting. */
  public static final List<Setting> ALL =
      List.of(
          new Setting(
              "listen",
              "0.0.0.0:7443",
              "host:port",
              "gRPC listener; TLS 1.3 with client certificates required"),
          new Setting("dataDir", "data", "path", "folder of the SQLite store (store.kind sqlite)"),
          new Setting(
              "credentials",
              ".",
              "path",
              "folder written by 'fedtrace pki issue': tls.crt, tls.key, signing.crt,"
                  + " signing.key"),
          new Setting(
              "federation.caCertificate",
              "ca.crt",
              "path",
              "the federation authority's certificate, the only trust anchor"),
          new Setting(
              "federation.agreement",
              "agreement.json",
              "path",
              "the signed agreement (the .sig file sits beside it); it sets members,"
                  + " retention and sunset"),
          new Setting(
              "federation.forward",
              "true",
              "boolean",
              "serve batches received from peers to other peers (needed for hub and chain"
                  + " topologies)"),
          new Setting(
              "peers",
              "[]",
              "list",
              "peers: entries {identity: CC/operator-id, address: host:port, mode: subscribe"
                  + " (pull the peer's batches; default) or push (push ours to it)}; a member"
                  + " running several replicas of its node behind one identity is one entry with"
                  + " addresses: [host:port, ...] instead of address (exactly one of the two):"
                  + " calls go to a replica that reports itself healthy (gRPC health checking,"
                  + " round robin) and a subscription resumes from the same cursor on another"
                  + " replica; the replicas must serve one store"),
          new Setting(
              "sync.idleTimeoutSeconds",
              "300",
              "seconds",
              "close a connection to a peer after this long without calls (push peers)"),
          new Setting(
              "batching.maxKeys",
              "1000",
              "keys",
              "publish a batch of own keys once this many are pending"),
          new Setting(
              "batching.maxAgeSeconds",
              "300",
              "seconds",
              "publish pending own keys once the oldest has waited this long, if they come from at"
                  + " least batching.minUploads uploads"),
          new Setting(
              "batching.minUploads",
              "3",
              "uploads",
              "mix at least this many uploads in a batch published by age, so that each uploader"
                  + " hides among others (spec R21.14, R21.15); 1 publishes each upload on its"
                  + " own"),
          new Setting(
              "batching.maxHoldSeconds",
              "86400",
              "seconds",
              "publish pending own keys at the latest this long after the oldest arrived, however"
                  + " few uploads they come from (at least batching.maxAgeSeconds)"),
          new Setting(
              "batching.minKeys",
              "100",
              "keys",
              "pad every published batch with random keys to at least this many (64 or more,"
                  + " spec R21.17)"),
          new Setting(
              "batching.decoyUploads",
              "3",
              "uploads",
              "top up a batch whose keys come from fewer uploads than this with decoy uploads:"
                  + " random keys shaped like a recent real upload, which notify nobody (spec"
                  + " R23.1-R23.6); 1 adds none"),
          new Setting(
              "limits.maxKeysPerBatch", "10000", "keys", "largest batch accepted from a peer"),
          new Setting(
              "limits.maxMessageBytes", "8388608", "bytes", "largest gRPC message accepted"),
          new Setting(
              "limits.requestsPerSecondPerPeer",
              "200",
              "requests/second",
              "rate limit of RPCs per peer (token bucket, burst of one second)"),
          new Setting(
              "limits.keysPerSecondPerPeer",
              "5000000",
              "keys/second",
              "rate limit of pushed keys per peer"),
          new Setting(
              "sync.deadlineMillis",
              "10000",
              "milliseconds",
              "deadline of every outbound unary call"),
          new Setting(
              "sync.heartbeatSeconds",
              "15",
              "seconds",
              "heartbeat period of idle subscriptions served"),
          new Setting(
              "sync.retryInitialMillis",
              "500",
              "milliseconds",
              "first retry delay of a failed peer subscription (doubles, with jitter)"),
          new Setting("sync.retryMaxMillis", "60000", "milliseconds", "largest retry delay"),
          new Setting(
              "sync.witnessIntervalSeconds",
              "10",
              "seconds",
              "how often the node witnesses each peer's log: fetches its checkpoint, checks it"
                  + " and cosigns it (spec transparency.md §15)"),
          new Setting(
              "uploads.healthAuthorityKeys",
              "[]",
              "list of paths",
              "national trust list: health-authority Ed25519 public keys (PEM) trusted in"
                  + " addition to those in the agreement"),
          new Setting(
              "uploads.maxAuthorizationLifetimeSeconds",
              "3600",
              "seconds",
              "longest lifetime (expires - issued) of an upload authorization accepted"),
          new Setting(
              "retention.purgeIntervalSeconds",
              "3600",
              "seconds",
              "how often keys past the agreement's retention are purged and the sunset checked"
                  + " (1..3600, spec R21.12)"),
          new Setting(
              "matching.mode",
              "device",
              "device|operator",
              "device: the node only distributes keys and devices match; operator: subscribers"
                  + " who opt in deposit their observations and the node matches every batch it"
                  + " stores (OperatorMatching service, feature operator-matching)"),
          new Setting(
              "matching.notifyThreshold",
              "15",
              "weighted minutes",
              "risk score from which an exposure is notified (operator mode; spec §15.2)"),
          new Setting(
              "matching.maxObservationsPerDevice",
              "100000",
              "observations",
              "most observations held per device key; a deposit beyond is refused (operator"
                  + " mode)"),
          new Setting(
              "matching.threads",
              "1",
              "threads",
              "threads that derive and match one batch (operator mode)"),
          new Setting(
              "metrics.host",
              "127.0.0.1",
              "address",
              "address the metrics endpoint binds; loopback unless a scraper on another host (a"
                  + " Kubernetes Prometheus) must reach it"),
          new Setting("metrics.port", "9464", "port", "Prometheus metrics over HTTP; 0 disables"),
          new Setting(
              "health.host",
              "127.0.0.1",
              "address",
              "address the plaintext health listener binds (0.0.0.0 for the kubelet's probes)"),
          new Setting(
              "health.port",
              "0",
              "port",
              "plaintext gRPC listener serving only grpc.health.v1.Health, for probes that cannot"
                  + " present a client certificate; 0 (the default) disables it"),
          new Setting(
              "store.kind",
              "sqlite",
              "sqlite|postgresql",
              "the store's engine: sqlite in dataDir (one process), or postgresql, which"
                  + " several replicas of this node may share"),
          new Setting(
              "store.url", "", "JDBC URL", "postgresql only: jdbc:postgresql://host:port/database"),
          new Setting("store.user", "", "name", "postgresql only: the database role"),
          new Setting(
              "store.password",
              "",
              "text",
              "postgresql only: the role's password (prefer store.passwordFile)"),
          new Setting(
              "store.passwordFile",
              "",
              "path",
              "postgresql only: a file holding the password, such as a mounted secret"),
          new Setting(
              "store.poolSize",
              "8",
              "connections",
              "postgresql only: the most connections this node opens to the database"),
          new Setting(
              "keys.custody",
              "file",
              "file|pkcs11",
              "where the batch-signing key is kept: file (signing.key in the credentials folder)"
                  + " or pkcs11 (an HSM token; the key never leaves it)"),
          new Setting(
              "keys.pkcs11Library",
              "/usr/lib/softhsm/libsofthsm2.so",
              "path",
              "the HSM vendor's PKCS#11 module (pkcs11 custody)"),
          new Setting(
              "keys.tokenLabel",
              "fedtrace",
              "label",
              "label of the token holding the signing key (pkcs11 custody)"),
          new Setting(
              "keys.pinFile",
              "hsm.pin",
              "path",
              "file whose first line is the token user's PIN; owner-only (pkcs11 custody)"),
          new Setting(
              "keys.signingKeyLabel",
              "signing",
              "label",
              "CKA_LABEL of the Ed25519 private key and its public key in the token; its public"
                  + " key must be the one in signing.crt (pkcs11 custody)"),
          new Setting(
              "export.directory",
              "",
              "path",
              "key exports for phones (spec section 24): the directory the node keeps current"
                  + " for a static web server; empty (the default) exports only on"
                  + " 'fedtrace export'"),
          new Setting(
              "export.signingKey",
              "export-signing.key",
              "path",
              "ECDSA P-256 export-signing key, PKCS#8 PEM ('fedtrace export --generate-key'"
                  + " makes one); not the batch-signing key"),
          new Setting(
              "export.keyId",
              "",
              "text",
              "verification_key_id phones look the public key up by (e.g. the MCC); required"
                  + " to export"),
          new Setting("export.keyVersion", "v1", "text", "verification_key_version"),
          new Setting(
              "export.delaySeconds",
              "7200",
              "seconds",
              "embargo: a key is released this long after its validity ended, 7200..604800"),
          new Setting(
              "export.minKeys",
              "1000",
              "keys",
              "fewest keys per file, padded with random keys up to it, 140..100000"),
          new Setting(
              "export.maxKeysPerFile",
              "100000",
              "keys",
              "most keys per file; more are split evenly into files, 2 x minKeys..400000"),
          new Setting(
              "export.combinedRegion",
              "ALL",
              "text",
              "region of the files that combine every origin; not a country code"),
          new Setting(
              "export.indexDays",
              "14",
              "days",
              "days of files the indexes list; older files are deleted, 1..60"),
          new Setting(
              "public.host",
              "0.0.0.0",
              "address",
              "address the public transparency endpoint binds (HTTPS with tls.crt, no client"
                  + " certificate; spec transparency.md section 14)"),
          new Setting(
              "public.port",
              "0",
              "port",
              "the public read-only transparency endpoint and web page: checkpoint, entries"
                  + " without identifying fields, proofs, agreement terms; 0 (the default)"
                  + " disables it"),
          new Setting(
              "public.requestsPerSecondPerClient",
              "20",
              "requests/s",
              "public endpoint requests per second and client address; more get 429"),
          new Setting(
              "public.certificate",
              "",
              "path",
              "PEM certificate chain of the public endpoint, one browsers trust (WebPKI); empty:"
                  + " the node's tls.crt, which browsers do not trust"),
          new Setting(
              "public.key",
              "",
              "path",
              "PKCS#8 PEM private key of public.certificate; set with it or not at all"),
          new Setting(
              "statistics.enabled",
              "false",
              "true|false",
              "release differentially private statistics per health authority and country pair"
                  + " and day, record each release's epsilon in the log and serve them on the"
                  + " public endpoint (spec transparency.md section 16)"),
          new Setting(
              "statistics.epsilonPerDay",
              "1",
              "epsilon",
              "privacy loss of one day's release, split evenly over its 5 families of counts;"
                  + " a decimal of at most 9 places"),
          new Setting(
              "statistics.totalEpsilon",
              "400",
              "epsilon",
              "the budget: no release that would take the ledger's sum past it"),
          new Setting(
              "statistics.minUploads",
              "10",
              "uploads",
              "a health authority's figures of a day are published only when its noisy upload"
                  + " count is at least this"),
          new Setting(
              "statistics.delayHours",
              "48",
              "hours",
              "a day is released no sooner than this long after it ended, 24..1440"),
          new Setting(
              "statistics.keysPerUploadCap",
              "14",
              "keys",
              "one upload counts at most this many keys in its authority's key count, 1..64"),
          new Setting(
              "statistics.delayBinEdgesDays",
              "2,4,7,14",
              "days",
              "edges of the onset-to-upload delay histogram's bins (0-1, 2-3, 4-6, 7-13, 14+)"));

  private Settings() {}

  /** The default of setting {@code name}, as written in YAML. */
  static String defaultOf(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no setting " + name))
        .defaultValue();
  }
}
