package org.fedtrace.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node's configuration: one immutable, validated record loaded from one YAML file. Every setting
 * is listed in {@link #SETTINGS} with its default and unit; that list is what {@code fedtrace node
 * --help} prints and what the loader accepts, so an unknown or invalid setting stops the node with
 * a message that names it. Relative paths resolve against the folder of the configuration file.
 */
public record NodeConfig(
    String listenHost,
    int listenPort,
    Path dataDir,
    Path credentials,
    Path caCertificate,
    Path agreement,
    boolean forward,
    List<PeerConfig> peers,
    int batchMaxKeys,
    int batchMaxAgeSeconds,
    int batchMinKeys,
    int batchMinUploads,
    int batchMaxHoldSeconds,
    int maxKeysPerBatch,
    int maxMessageBytes,
    double requestsPerSecondPerPeer,
    double keysPerSecondPerPeer,
    long deadlineMillis,
    long heartbeatMillis,
    long retryInitialMillis,
    long retryMaxMillis,
    long idleTimeoutSeconds,
    List<Path> healthAuthorityKeys,
    long maxAuthorizationLifetimeSeconds,
    long purgeIntervalSeconds,
    MatchingMode matchingMode,
    double notifyThreshold,
    int maxObservationsPerDevice,
    int matchingThreads,
    int metricsPort) {

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

  /** How this node exchanges with a peer. */
  public enum SyncMode {
    /** This node subscribes to the peer's batches (pull, with the live tail). */
    SUBSCRIBE,
    /** This node pushes its batches to the peer with PublishBatch. */
    PUSH
  }

  /** A peer this node exchanges with. */
  public record PeerConfig(
      String country, String operatorId, String host, int port, SyncMode mode) {
    /** A peer this node subscribes to. */
    public PeerConfig(String country, String operatorId, String host, int port) {
      this(country, operatorId, host, port, SyncMode.SUBSCRIBE);
    }

    /** "CC/operator-id". */
    public String name() {
      return country + "/" + operatorId;
    }
  }

  /** One documented setting. */
  public record Setting(String name, String defaultValue, String unit, String description) {}

  /** Every setting, in the order of the example file. */
  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "listen",
              "0.0.0.0:7443",
              "host:port",
              "gRPC listener; TLS 1.3 with client certificates required"),
          new Setting("dataDir", "data", "path", "folder of the SQLite store"),
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
                  + " (pull the peer's batches; default) or push (push ours to it)}"),
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
              "metrics.port",
              "9464",
              "port",
              "Prometheus metrics over HTTP on localhost; 0 disables"));

  private static final Pattern PEER_ID = Pattern.compile("([A-Z]{2})/([a-z0-9-]{1,32})");

  /** A settings problem; the message names the setting. */
  public static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
      super(message);
    }
  }

  /**
   * Loads and validates a configuration file.
   *
   * @throws InvalidConfigException naming the first invalid or unknown setting
   */
  public static NodeConfig load(Path file) throws InvalidConfigException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidConfigException("cannot read " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new ObjectMapper().createObjectNode();
    }
    if (!root.isObject()) {
      throw new InvalidConfigException(file + ": the configuration must be a YAML mapping");
    }
    Path base = file.toAbsolutePath().getParent();
    return new Reader(root, base).read();
  }

  /** Reads settings from the YAML tree, with defaults, checking each. */
  private static final class Reader {
    private final JsonNode root;
    private final Path base;

    Reader(JsonNode root, Path base) {
      this.root = root;
      this.base = base;
    }

    NodeConfig read() throws InvalidConfigException {
      rejectUnknown();
      String[] listen = hostPort("listen", text("listen"));
      int batchMaxKeys = integer("batching.maxKeys", 1, 100_000);
      // R7.5 and R6.12: every node accepts batches of 10,000 keys and messages of 4 MiB
      int maxKeysPerBatch = integer("limits.maxKeysPerBatch", 10_000, 1_000_000);
      // R21.17: no published batch holds fewer than 64 keys
      int minKeys = integer("batching.minKeys", 64, 100_000);
      if (minKeys > maxKeysPerBatch) {
        throw new InvalidConfigException(
            "batching.minKeys: " + minKeys + " exceeds limits.maxKeysPerBatch " + maxKeysPerBatch);
      }
      int maxAge = integer("batching.maxAgeSeconds", 1, 86_400);
      int maxHold = integer("batching.maxHoldSeconds", 1, 86_400);
      if (maxHold < maxAge) {
        throw new InvalidConfigException(
            "batching.maxHoldSeconds: must be at least batching.maxAgeSeconds (" + maxAge + ")");
      }
      long retryInitial = longInt("sync.retryInitialMillis", 1, 3_600_000);
      long retryMax = longInt("sync.retryMaxMillis", 1, 86_400_000);
      if (retryMax < retryInitial) {
        throw new InvalidConfigException(
            "sync.retryMaxMillis: must be at least sync.retryInitialMillis (" + retryInitial + ")");
      }
      return new NodeConfig(
          listen[0],
          Integer.parseInt(listen[1]),
          path("dataDir"),
          path("credentials"),
          path("federation.caCertificate"),
          path("federation.agreement"),
          bool("federation.forward"),
          peers(),
          Math.min(batchMaxKeys, maxKeysPerBatch),
          maxAge,
          minKeys,
          integer("batching.minUploads", 1, 1_000),
          maxHold,
          maxKeysPerBatch,
          integer("limits.maxMessageBytes", 4 << 20, 256 << 20),
          decimal("limits.requestsPerSecondPerPeer"),
          decimal("limits.keysPerSecondPerPeer"),
          longInt("sync.deadlineMillis", 1, 3_600_000),
          longInt("sync.heartbeatSeconds", 1, 3_600) * 1000,
          retryInitial,
          retryMax,
          longInt("sync.idleTimeoutSeconds", 1, 86_400),
          paths("uploads.healthAuthorityKeys"),
          longInt("uploads.maxAuthorizationLifetimeSeconds", 1, 3_600),
          // R21.12, R15.22: purge at least once an hour (the sunset check runs with it, R15.23)
          longInt("retention.purgeIntervalSeconds", 1, 3_600),
          matchingMode(),
          decimal("matching.notifyThreshold"),
          integer("matching.maxObservationsPerDevice", 1, 100_000_000),
          integer("matching.threads", 1, 64),
          integer("metrics.port", 0, 65_535));
    }

    private void rejectUnknown() throws InvalidConfigException {
      Set<String> known = new LinkedHashSet<>();
      Set<String> sections = new LinkedHashSet<>();
      for (Setting s : SETTINGS) {
        known.add(s.name());
        int dot = s.name().indexOf('.');
        if (dot > 0) {
          sections.add(s.name().substring(0, dot));
        }
      }
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String top = it.next();
        if (sections.contains(top)) {
          JsonNode section = root.get(top);
          if (!section.isObject()) {
            throw new InvalidConfigException(top + ": must be a mapping of settings");
          }
          for (Iterator<String> inner = section.fieldNames(); inner.hasNext(); ) {
            String name = top + "." + inner.next();
            if (!known.contains(name)) {
              throw new InvalidConfigException(name + ": unknown setting");
            }
          }
        } else if (!known.contains(top)) {
          throw new InvalidConfigException(top + ": unknown setting");
        }
      }
    }

    private JsonNode node(String name) {
      JsonNode n = root;
      for (String part : name.split("\\.")) {
        n = n == null ? null : n.get(part);
      }
      return n == null || n.isNull() ? null : n;
    }

    private static String defaultOf(String name) {
      return SETTINGS.stream()
          .filter(s -> s.name().equals(name))
          .findFirst()
          .orElseThrow()
          .defaultValue();
    }

    private String text(String name) throws InvalidConfigException {
      JsonNode n = node(name);
      if (n == null) {
        return defaultOf(name);
      }
      if (!n.isValueNode()) {
        throw new InvalidConfigException(name + ": expected a single value");
      }
      return n.asText();
    }

    private Path path(String name) throws InvalidConfigException {
      String t = text(name);
      if (t.isBlank()) {
        throw new InvalidConfigException(name + ": expected a path, got an empty value");
      }
      return base.resolve(t).normalize();
    }

    private boolean bool(String name) throws InvalidConfigException {
      String t = text(name);
      if (!t.equals("true") && !t.equals("false")) {
        throw new InvalidConfigException(name + ": expected true or false, got '" + t + "'");
      }
      return Boolean.parseBoolean(t);
    }

    private int integer(String name, int min, int max) throws InvalidConfigException {
      return (int) longInt(name, min, max);
    }

    private long longInt(String name, long min, long max) throws InvalidConfigException {
      String t = text(name);
      long v;
      try {
        v = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(name + ": expected a whole number, got '" + t + "'");
      }
      if (v < min || v > max) {
        throw new InvalidConfigException(name + ": must be in " + min + ".." + max + ", got " + v);
      }
      return v;
    }

    private double decimal(String name) throws InvalidConfigException {
      String t = text(name);
      try {
        double v = Double.parseDouble(t);
        if (!(v > 0) || Double.isInfinite(v)) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(name + ": expected a positive number, got '" + t + "'");
      }
    }

    private MatchingMode matchingMode() throws InvalidConfigException {
      String t = text("matching.mode");
      if (!t.equals("device") && !t.equals("operator")) {
        throw new InvalidConfigException(
            "matching.mode: expected device or operator, got '" + t + "'");
      }
      return t.equals("device") ? MatchingMode.DEVICE : MatchingMode.OPERATOR;
    }

    private List<Path> paths(String name) throws InvalidConfigException {
      JsonNode n = node(name);
      List<Path> out = new ArrayList<>();
      if (n == null) {
        return out;
      }
      if (!n.isArray()) {
        throw new InvalidConfigException(name + ": expected a list of paths");
      }
      for (JsonNode e : n) {
        if (!e.isTextual() || e.asText().isBlank()) {
          throw new InvalidConfigException(name + ": expected a list of paths");
        }
        out.add(base.resolve(e.asText()).normalize());
      }
      return out;
    }

    private List<PeerConfig> peers() throws InvalidConfigException {
      JsonNode n = node("peers");
      List<PeerConfig> out = new ArrayList<>();
      if (n == null) {
        return out;
      }
      if (!n.isArray()) {
        throw new InvalidConfigException("peers: expected a list of {identity, address}");
      }
      Set<String> seen = new LinkedHashSet<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode p = n.get(i);
        String where = "peers[" + i + "]";
        if (!p.isObject()) {
          throw new InvalidConfigException(where + ": expected {identity, address}");
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (!f.equals("identity") && !f.equals("address") && !f.equals("mode")) {
            throw new InvalidConfigException(where + "." + f + ": unknown setting");
          }
        }
        String id = p.path("identity").asText("");
        var m = PEER_ID.matcher(id);
        if (!m.matches()) {
          throw new InvalidConfigException(
              where + ".identity: expected CC/operator-id (e.g. FR/op-fr), got '" + id + "'");
        }
        if (!seen.add(id)) {
          throw new InvalidConfigException(where + ".identity: " + id + " is listed twice");
        }
        String[] hp = hostPort(where + ".address", p.path("address").asText(""));
        String mode = p.path("mode").asText("subscribe");
        if (!mode.equals("subscribe") && !mode.equals("push")) {
          throw new InvalidConfigException(
              where + ".mode: expected subscribe or push, got '" + mode + "'");
        }
        out.add(
            new PeerConfig(
                m.group(1),
                m.group(2),
                hp[0],
                Integer.parseInt(hp[1]),
                mode.equals("push") ? SyncMode.PUSH : SyncMode.SUBSCRIBE));
      }
      return out;
    }

    private static String[] hostPort(String name, String value) throws InvalidConfigException {
      int colon = value.lastIndexOf(':');
      String bad = name + ": expected host:port with a port in 1..65535, got '" + value + "'";
      if (colon <= 0 || colon == value.length() - 1) {
        throw new InvalidConfigException(bad);
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65_535) {
          throw new InvalidConfigException(bad);
        }
        return new String[] {host, Integer.toString(port)};
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(bad);
      }
    }
  }

  /** A config whose every setting has its default, with paths resolved against {@code base}. */
  public static NodeConfig defaults(Path base) {
    try {
      return new Reader(new ObjectMapper().createObjectNode(), base).read();
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("the defaults are invalid", e);
    }
  }

  /** Whether a file exists and is readable, for start-up checks. */
  static boolean readable(Path p) {
    return Files.isRegularFile(p) && Files.isReadable(p);
  }
}
