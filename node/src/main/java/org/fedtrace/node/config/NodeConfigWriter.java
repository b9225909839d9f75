package org.fedtrace.node.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a configuration as the YAML file {@link NodeConfig#load} reads back to an equal
 * configuration, every setting spelled out and every path absolute: how a configuration made in
 * code reaches a node in another process.
 */
public final class NodeConfigWriter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private NodeConfigWriter() {}

  /** Writes {@code config} to {@code file}. */
  public static void write(NodeConfig config, Path file) throws IOException {
    Files.writeString(file, yaml(config));
  }

  /** The YAML text of {@code config}. */
  public static String yaml(NodeConfig config) {
    ObjectNode root = YAML.createObjectNode();
    root.put("listen", config.listen().host() + ":" + config.listen().port());
    root.put("dataDir", absolute(config.dataDir()));
    root.put("credentials", absolute(config.credentials()));
    NodeConfig.Federation f = config.federation();
    ObjectNode federation = root.putObject("federation");
    federation.put("caCertificate", absolute(f.caCertificate()));
    federation.put("agreement", absolute(f.agreement()));
    federation.put("forward", f.forward());
    ArrayNode peers = root.putArray("peers");
    for (NodeConfig.Peer p : config.peers()) {
      ObjectNode peer = peers.addObject().put("identity", p.identity().toString());
      if (p.addresses().size() == 1) {
        peer.put("address", p.addresses().get(0).toString());
      } else {
        ArrayNode addresses = peer.putArray("addresses");
        p.addresses().forEach(a -> addresses.add(a.toString()));
      }
      peer.put("mode", p.mode().name().toLowerCase(Locale.ROOT));
    }
    sections(root, config);
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("a configuration tree cannot be written", e);
    }
  }

  private static void sections(ObjectNode root, NodeConfig c) {
    NodeConfig.Sync s = c.sync();
    root.putObject("sync")
        .put("idleTimeoutSeconds", s.idleTimeoutSeconds())
        .put("deadlineMillis", s.deadlineMillis())
        .put("heartbeatSeconds", s.heartbeatSeconds())
        .put("retryInitialMillis", s.retryInitialMillis())
        .put("retryMaxMillis", s.retryMaxMillis())
        .put("witnessIntervalSeconds", s.witnessIntervalSeconds());
    NodeConfig.Batching b = c.batching();
    root.putObject("batching")
        .put("maxKeys", b.maxKeys())
        .put("maxAgeSeconds", b.maxAgeSeconds())
        .put("minUploads", b.minUploads())
        .put("maxHoldSeconds", b.maxHoldSeconds())
        .put("minKeys", b.minKeys())
        .put("decoyUploads", b.decoyUploads());
    NodeConfig.Limits l = c.limits();
    root.putObject("limits")
        .put("maxKeysPerBatch", l.maxKeysPerBatch())
        .put("maxMessageBytes", l.maxMessageBytes())
        .put("requestsPerSecondPerPeer", l.requestsPerSecondPerPeer())
        .put("keysPerSecondPerPeer", l.keysPerSecondPerPeer());
    ObjectNode uploads = root.putObject("uploads");
    ArrayNode keys = uploads.putArray("healthAuthorityKeys");
    c.uploads().healthAuthorityKeys().forEach(p -> keys.add(absolute(p)));
    uploads.put("maxAuthorizationLifetimeSeconds", c.uploads().maxAuthorizationLifetimeSeconds());
    root.putObject("retention").put("purgeIntervalSeconds", c.retention().purgeIntervalSeconds());
    NodeConfig.Matching m = c.matching();
    root.putObject("matching")
        .put("mode", m.mode().name().toLowerCase(Locale.ROOT))
        .put("notifyThreshold", m.notifyThreshold())
        .put("maxObservationsPerDevice", m.maxObservationsPerDevice())
        .put("threads", m.threads());
    root.putObject("metrics").put("host", c.metrics().host()).put("port", c.metrics().port());
    root.putObject("health").put("host", c.health().host()).put("port", c.health().port());
    NodeConfig.StoreEngine st = c.store();
    ObjectNode store =
        root.putObject("store")
            .put("kind", st.kind().name().toLowerCase(Locale.ROOT))
            .put("url", st.url())
            .put("user", st.user())
            .put("password", st.password())
            .put("poolSize", st.poolSize());
    store.put("passwordFile", st.passwordFile() == null ? "" : absolute(st.passwordFile()));
    Keys k = c.keys();
    root.putObject("keys")
        .put("custody", k.custody().name().toLowerCase(Locale.ROOT))
        .put("pkcs11Library", absolute(k.pkcs11Library()))
        .put("tokenLabel", k.tokenLabel())
        .put("pinFile", absolute(k.pinFile()))
        .put("signingKeyLabel", k.signingKeyLabel());
    Export e = c.export();
    root.putObject("export")
        .put("directory", e.directory() == null ? "" : absolute(e.directory()))
        .put("signingKey", absolute(e.signingKey()))
        .put("keyId", e.keyId())
        .put("keyVersion", e.keyVersion())
        .put("delaySeconds", e.policy().delaySeconds())
        .put("minKeys", e.policy().minKeys())
        .put("maxKeysPerFile", e.policy().maxKeysPerFile())
        .put("combinedRegion", e.policy().combinedRegion())
        .put("indexDays", e.policy().indexDays());
    PublicSite p = c.publicSite();
    root.putObject("public")
        .put("host", p.host())
        .put("port", p.port())
        .put("requestsPerSecondPerClient", p.requestsPerSecondPerClient())
        .put("certificate", p.certificate() == null ? "" : absolute(p.certificate()))
        .put("key", p.key() == null ? "" : absolute(p.key()));
    org.fedtrace.stats.StatisticsPolicy dp = c.statistics().policy();
    root.putObject("statistics")
        .put("enabled", c.statistics().enabled())
        .put("epsilonPerDay", dp.epsilonPerDay().toString())
        .put("totalEpsilon", dp.totalEpsilon().toString())
        .put("minUploads", dp.minUploads())
        .put("delayHours", dp.delayHours())
        .put("keysPerUploadCap", dp.keysPerUploadCap())
        .put(
            "delayBinEdgesDays",
            String.join(",", dp.delayBinEdgesDays().stream().map(String::valueOf).toList()));
  }

  private static String absolute(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }
}
