package org.fedtrace.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.pki.OperatorIdentity;

/**
 * Reads a node's YAML configuration into a {@link NodeConfig.Builder}: refuses unknown settings and
 * values of the wrong type, naming the setting; takes the default of every setting left out;
 * resolves paths against the file's folder. Ranges are checked when the builder builds.
 */
final class NodeConfigReader {
  private static final Pattern PEER_ID = Pattern.compile("([A-Z]{2})/([a-z0-9-]{1,32})");

  private final JsonNode root;
  private final Path base;

  private NodeConfigReader(JsonNode root, Path base) {
    this.root = root;
    this.base = base;
  }

  /** The builder of {@code file}'s settings. */
  static NodeConfig.Builder read(Path file) throws InvalidConfigException {
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
    return new NodeConfigReader(root, file.toAbsolutePath().getParent()).builder();
  }

  /** A builder of every default, paths resolved against {@code base}. */
  static NodeConfig.Builder defaults(Path base) {
    try {
      return new NodeConfigReader(new ObjectMapper().createObjectNode(), base).builder();
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("the defaults do not parse", e);
    }
  }

  private NodeConfig.Builder builder() throws InvalidConfigException {
    rejectUnknown();
    String[] listen = hostPort("listen", text("listen"));
    return new NodeConfig.Builder()
        .listen(new NodeConfig.Listen(listen[0], Integer.parseInt(listen[1])))
        .dataDir(path("dataDir"))
        .credentials(path("credentials"))
        .federation(
            new NodeConfig.Federation(
                path("federation.caCertificate"),
                path("federation.agreement"),
                bool("federation.forward")))
        .peers(peers())
        .sync(
            new NodeConfig.Sync(
                whole("sync.idleTimeoutSeconds"),
                whole("sync.deadlineMillis"),
                whole("sync.heartbeatSeconds"),
                whole("sync.retryInitialMillis"),
                whole("sync.retryMaxMillis"),
                whole("sync.witnessIntervalSeconds")))
        .batching(
            new NodeConfig.Batching(
                integer("batching.maxKeys"),
                integer("batching.maxAgeSeconds"),
                integer("batching.minUploads"),
                integer("batching.maxHoldSeconds"),
                integer("batching.minKeys"),
                integer("batching.decoyUploads")))
        .limits(
            new NodeConfig.Limits(
                integer("limits.maxKeysPerBatch"),
                integer("limits.maxMessageBytes"),
                decimal("limits.requestsPerSecondPerPeer"),
                decimal("limits.keysPerSecondPerPeer")))
        .uploads(
            new NodeConfig.Uploads(
                paths("uploads.healthAuthorityKeys"),
                whole("uploads.maxAuthorizationLifetimeSeconds")))
        .retention(new NodeConfig.Retention(whole("retention.purgeIntervalSeconds")))
        .matching(
            new NodeConfig.Matching(
                matchingMode(),
                decimal("matching.notifyThreshold"),
                integer("matching.maxObservationsPerDevice"),
                integer("matching.threads")))
        .metrics(new NodeConfig.Metrics(host("metrics.host"), integer("metrics.port")))
        .health(new NodeConfig.Health(host("health.host"), integer("health.port")))
        .store(
            new NodeConfig.StoreEngine(
                storeKind(),
                text("store.url"),
                text("store.user"),
                text("store.password"),
                text("store.passwordFile").isEmpty() ? null : path("store.passwordFile"),
                integer("store.poolSize")))
        .keys(
            new Keys(
                custody(),
                path("keys.pkcs11Library"),
                text("keys.tokenLabel"),
                path("keys.pinFile"),
                text("keys.signingKeyLabel")))
        .export(export())
        .publicSite(
            new PublicSite(
                host("public.host"),
                integer("public.port"),
                decimal("public.requestsPerSecondPerClient"),
                text("public.certificate").isEmpty() ? null : path("public.certificate"),
                text("public.key").isEmpty() ? null : path("public.key")))
        .statistics(statistics());
  }

  private StatisticsSection statistics() throws InvalidConfigException {
    List<Integer> edges = new ArrayList<>();
    for (String edge : text("statistics.delayBinEdgesDays").split(",", -1)) {
      try {
        edges.add(Integer.parseInt(edge.strip()));
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(
            "statistics.delayBinEdgesDays: expected days separated by commas, got '"
                + text("statistics.delayBinEdgesDays")
                + "'");
      }
    }
    try {
      return new StatisticsSection(
          bool("statistics.enabled"),
          new org.fedtrace.stats.StatisticsPolicy(
              epsilon("statistics.epsilonPerDay"),
              epsilon("statistics.totalEpsilon"),
              integer("statistics.minUploads"),
              integer("statistics.delayHours"),
              integer("statistics.keysPerUploadCap"),
              edges));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("statistics." + e.getMessage());
    }
  }

  private org.fedtrace.stats.Epsilon epsilon(String name) throws InvalidConfigException {
    try {
      return org.fedtrace.stats.Epsilon.parse(text(name));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(name + ": " + e.getMessage());
    }
  }

  private Export export() throws InvalidConfigException {
    org.fedtrace.export.ExportPolicy policy;
    try {
      policy =
          new org.fedtrace.export.ExportPolicy(
              whole("export.delaySeconds"),
              integer("export.minKeys"),
              integer("export.maxKeysPerFile"),
              text("export.combinedRegion"),
              integer("export.indexDays"));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("export." + e.getMessage());
    }
    return new Export(
        text("export.directory").isEmpty() ? null : path("export.directory"),
        path("export.signingKey"),
        text("export.keyId"),
        text("export.keyVersion"),
        policy);
  }

  private void rejectUnknown() throws InvalidConfigException {
    Set<String> known = new LinkedHashSet<>();
    Set<String> sections = new LinkedHashSet<>();
    for (Settings.Setting s : Settings.ALL) {
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

  private String text(String name) throws InvalidConfigException {
    JsonNode n = node(name);
    if (n == null) {
      return Settings.defaultOf(name);
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

  private String host(String name) throws InvalidConfigException {
    String t = text(name);
    if (t.isBlank() || t.contains(" ")) {
      throw new InvalidConfigException(name + ": expected a host name or address, got '" + t + "'");
    }
    return t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
  }

  private boolean bool(String name) throws InvalidConfigException {
    String t = text(name);
    if (!t.equals("true") && !t.equals("false")) {
      throw new InvalidConfigException(name + ": expected true or false, got '" + t + "'");
    }
    return Boolean.parseBoolean(t);
  }

  private int integer(String name) throws InvalidConfigException {
    long v = whole(name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new InvalidConfigException(name + ": " + v + " is out of range");
    }
    return (int) v;
  }

  private long whole(String name) throws InvalidConfigException {
    String t = text(name);
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name + ": expected a whole number, got '" + t + "'");
    }
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

  private NodeConfig.MatchingMode matchingMode() throws InvalidConfigException {
    String t = text("matching.mode");
    if (!t.equals("device") && !t.equals("operator")) {
      throw new InvalidConfigException(
          "matching.mode: expected device or operator, got '" + t + "'");
    }
    return t.equals("device") ? NodeConfig.MatchingMode.DEVICE : NodeConfig.MatchingMode.OPERATOR;
  }

  private NodeConfig.StoreKind storeKind() throws InvalidConfigException {
    String t = text("store.kind");
    if (!t.equals("sqlite") && !t.equals("postgresql")) {
      throw new InvalidConfigException(
          "store.kind: expected sqlite or postgresql, got '" + t + "'");
    }
    return t.equals("sqlite") ? NodeConfig.StoreKind.SQLITE : NodeConfig.StoreKind.POSTGRESQL;
  }

  private Keys.Custody custody() throws InvalidConfigException {
    String t = text("keys.custody");
    if (!t.equals("file") && !t.equals("pkcs11")) {
      throw new InvalidConfigException("keys.custody: expected file or pkcs11, got '" + t + "'");
    }
    return t.equals("file") ? Keys.Custody.FILE : Keys.Custody.PKCS11;
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

  private List<NodeConfig.Peer> peers() throws InvalidConfigException {
    JsonNode n = node("peers");
    List<NodeConfig.Peer> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidConfigException(
          "peers: expected a list of {identity, address or addresses, mode}");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(peer(n.get(i), "peers[" + i + "]", seen));
    }
    return out;
  }

  private static NodeConfig.Peer peer(JsonNode p, String where, Set<String> seen)
      throws InvalidConfigException {
    if (!p.isObject()) {
      throw new InvalidConfigException(where + ": expected {identity, address}");
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("identity", "address", "addresses", "mode").contains(f)) {
        throw new InvalidConfigException(where + "." + f + ": unknown setting");
      }
    }
    String id = p.path("identity").asText("");
    Matcher m = PEER_ID.matcher(id);
    if (!m.matches()) {
      throw new InvalidConfigException(
          where + ".identity: expected CC/operator-id (e.g. FR/op-fr), got '" + id + "'");
    }
    if (!seen.add(id)) {
      throw new InvalidConfigException(where + ".identity: " + id + " is listed twice");
    }
    OperatorIdentity identity;
    try {
      identity = new OperatorIdentity(m.group(1), m.group(2));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(where + ".identity: " + e.getMessage());
    }
    List<PeerAddress> addresses = addresses(p, where);
    String mode = p.path("mode").asText("subscribe");
    if (!mode.equals("subscribe") && !mode.equals("push")) {
      throw new InvalidConfigException(
          where + ".mode: expected subscribe or push, got '" + mode + "'");
    }
    return new NodeConfig.Peer(
        identity,
        addresses,
        mode.equals("push") ? NodeConfig.SyncMode.PUSH : NodeConfig.SyncMode.SUBSCRIBE);
  }

  /** The peer's {@code address}, or its replicas' {@code addresses}: exactly one of the two. */
  private static List<PeerAddress> addresses(JsonNode p, String where)
      throws InvalidConfigException {
    if (p.has("address") == p.has("addresses")) {
      throw new InvalidConfigException(
          where
              + ": expected either address: host:port or addresses: [host:port, ...] (one per"
              + " replica), not "
              + (p.has("address") ? "both" : "neither"));
    }
    if (p.has("address")) {
      return List.of(address(where + ".address", p.get("address")));
    }
    JsonNode list = p.get("addresses");
    String name = where + ".addresses";
    if (!list.isArray() || list.isEmpty()) {
      throw new InvalidConfigException(name + ": expected a non-empty list of host:port");
    }
    List<PeerAddress> out = new ArrayList<>();
    for (JsonNode a : list) {
      out.add(address(name, a));
    }
    return out;
  }

  private static PeerAddress address(String name, JsonNode value) throws InvalidConfigException {
    if (!value.isTextual()) {
      throw new InvalidConfigException(name + ": expected host:port, got '" + value + "'");
    }
    String[] hp = hostPort(name, value.asText());
    if (hp[0].isBlank()) {
      throw new InvalidConfigException(
          name + ": expected host:port with a port in 1..65535, got '" + value.asText() + "'");
    }
    return new PeerAddress(hp[0], Integer.parseInt(hp[1]));
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
