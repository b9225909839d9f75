package org.fedtrace.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.pki.OperatorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir Path dir;

  private NodeConfig load(String yaml) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, yaml);
    return NodeConfig.load(f);
  }

  private String refuse(String yaml) {
    return assertThrows(InvalidConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void emptyFileGivesTheDefaultsWithPathsBesideTheFile() throws Exception {
    NodeConfig c = load("");
    assertEquals(new NodeConfig.Listen("0.0.0.0", 7443), c.listen());
    assertEquals(dir.resolve("data"), c.dataDir());
    assertEquals(dir.resolve("ca.crt"), c.federation().caCertificate());
    assertEquals(100, c.batching().minKeys());
    assertEquals(15, c.sync().heartbeatSeconds());
    assertTrue(c.peers().isEmpty());
    assertEquals(NodeConfig.MatchingMode.DEVICE, c.matching().mode());
  }

  @Test
  void readsPeers() throws Exception {
    NodeConfig c =
        load(
            "peers:\n  - identity: FR/op-fr\n    address: fr.example:7444\n"
                + "  - identity: BE/be1\n    address: '[::1]:7445'\n");
    assertEquals(
        List.of(
            NodeConfig.Peer.subscribe(OperatorIdentity.parse("FR/op-fr"), "fr.example", 7444),
            NodeConfig.Peer.subscribe(OperatorIdentity.parse("BE/be1"), "::1", 7445)),
        c.peers());
  }

  @Test
  void readsThePeersReplicasAsOneEntryWithSeveralAddresses() throws Exception {
    NodeConfig c =
        load(
            "peers:\n  - identity: FR/op-fr\n"
                + "    addresses: ['fr-1.example:7443', '[::1]:7444', 'fr-2.example:7443']\n"
                + "    mode: push\n");
    assertEquals(
        List.of(
            new NodeConfig.Peer(
                OperatorIdentity.parse("FR/op-fr"),
                List.of(
                    new PeerAddress("fr-1.example", 7443),
                    new PeerAddress("::1", 7444),
                    new PeerAddress("fr-2.example", 7443)),
                NodeConfig.SyncMode.PUSH)),
        c.peers());
    assertEquals("[::1]:7444", c.peers().get(0).addresses().get(1).toString());
  }

  @Test
  void aPeerHasEitherOneAddressOrAListOfDistinctValidOnes() {
    String peer = "peers:\n  - identity: FR/op-fr\n";
    assertEquals(
        "peers[0]: expected either address: host:port or addresses: [host:port, ...] (one per"
            + " replica), not both",
        refuse(peer + "    address: a:1\n    addresses: ['b:2']\n"));
    assertEquals(
        "peers[0]: expected either address: host:port or addresses: [host:port, ...] (one per"
            + " replica), not neither",
        refuse(peer + "    mode: push\n"));
    assertEquals(
        "peers[0].addresses: expected a non-empty list of host:port",
        refuse(peer + "    addresses: []\n"));
    assertEquals(
        "peers[0].addresses: expected a non-empty list of host:port",
        refuse(peer + "    addresses: 'a:1'\n"));
    assertEquals(
        "peers[0].addresses: A.example:1 is listed twice",
        refuse(peer + "    addresses: ['a.example:1', 'b:1', 'A.example:1']\n"));
    assertEquals(
        "peers[0].addresses: expected host:port with a port in 1..65535, got 'b:70000'",
        refuse(peer + "    addresses: ['a:1', 'b:70000']\n"));
    assertEquals(
        "peers[0].addresses: expected host:port with a port in 1..65535, got 'b'",
        refuse(peer + "    addresses: ['a:1', 'b']\n"));
    assertEquals(
        "peers[0].addresses: expected host:port, got '{\"host\":\"a\"}'",
        refuse(peer + "    addresses: [{host: a}]\n"));
    assertEquals(
        "peers[0].addresses: expected host:port with a port in 1..65535, got '[]:1'",
        refuse(peer + "    addresses: ['[]:1', 'a:1']\n"));
    assertEquals("peers[0].adresses: unknown setting", refuse(peer + "    adresses: ['a:1']\n"));
  }

  @Test
  void readsWhereTheSigningKeyIsKept() throws Exception {
    assertEquals(Keys.Custody.FILE, load("").keys().custody());
    NodeConfig c =
        load(
            "keys:\n  custody: pkcs11\n  pkcs11Library: /opt/hsm/libvendor.so\n"
                + "  tokenLabel: fedtrace-de\n  pinFile: secrets/hsm.pin\n"
                + "  signingKeyLabel: batch-2026\n");
    assertEquals(
        new Keys(
            Keys.Custody.PKCS11,
            Path.of("/opt/hsm/libvendor.so"),
            "fedtrace-de",
            dir.resolve("secrets/hsm.pin"),
            "batch-2026"),
        c.keys());
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertEquals(
        "listen: expected host:port with a port in 1..65535, got 'localhost'",
        refuse("listen: localhost\n"));
    assertEquals(
        "limits.maxKeysPerBatch: must be in 10000..1000000, got 0",
        refuse("limits:\n  maxKeysPerBatch: 0\n"));
    assertEquals(
        "batching.maxAgeSeconds: expected a whole number, got 'soon'",
        refuse("batching:\n  maxAgeSeconds: soon\n"));
    assertEquals(
        "batching.maxHoldSeconds: must be at least batching.maxAgeSeconds (600)",
        refuse("batching:\n  maxAgeSeconds: 600\n  maxHoldSeconds: 300\n"));
    assertEquals(
        "batching.minUploads: must be in 1..1000, got 0", refuse("batching:\n  minUploads: 0\n"));
    assertEquals(
        "batching.minKeys: must be in 64..100000, got 10", refuse("batching:\n  minKeys: 10\n"));
    assertEquals(
        "retention.purgeIntervalSeconds: must be in 1..3600, got 7200",
        refuse("retention:\n  purgeIntervalSeconds: 7200\n"));
    assertEquals("batchng: unknown setting", refuse("batchng:\n  maxKeys: 3\n"));
    assertEquals("batching.maxKey: unknown setting", refuse("batching:\n  maxKey: 3\n"));
    assertEquals(
        "federation.forward: expected true or false, got 'yes please'",
        refuse("federation:\n  forward: yes please\n"));
    assertEquals(
        "peers[0].identity: expected CC/operator-id (e.g. FR/op-fr), got 'fr/op'",
        refuse("peers:\n  - identity: fr/op\n    address: a:1\n"));
    assertEquals(
        "peers[1].identity: FR/a is listed twice",
        refuse(
            "peers:\n  - {identity: FR/a, address: 'a:1'}\n"
                + "  - {identity: FR/a, address: 'b:2'}\n"));
    assertEquals(
        "batching.minKeys: 20000 exceeds limits.maxKeysPerBatch 10000",
        refuse("batching:\n  minKeys: 20000\n"));
    assertEquals(
        "limits.requestsPerSecondPerPeer: expected a positive number, got '-1'",
        refuse("limits:\n  requestsPerSecondPerPeer: -1\n"));
    assertEquals(
        "matching.mode: expected device or operator, got 'phone'",
        refuse("matching:\n  mode: phone\n"));
    assertEquals(
        "matching.notifyThreshold: expected a positive number, got '0'",
        refuse("matching:\n  notifyThreshold: 0\n"));
    assertEquals("health.port: must be in 0..65535, got 70000", refuse("health: {port: 70000}\n"));
  }

  @Test
  void theHealthListenerIsOffByDefaultAndBindsWhereConfigured() throws Exception {
    assertEquals(new NodeConfig.Health("127.0.0.1", 0), load("").health());
    assertEquals(new NodeConfig.Metrics("127.0.0.1", 9464), load("").metrics());
    NodeConfig c = load("health: {host: 0.0.0.0, port: 8081}\nmetrics: {host: '[::]'}\n");
    assertEquals(new NodeConfig.Health("0.0.0.0", 8081), c.health());
    assertEquals(new NodeConfig.Metrics("::", 9464), c.metrics());
  }

  @Test
  void theStoreIsSqliteInTheDataDirUnlessPostgresqlIsNamed() throws Exception {
    assertEquals(NodeConfig.StoreKind.SQLITE, load("").store().kind());
    Files.writeString(dir.resolve("db.secret"), "s3cret\n");
    NodeConfig c =
        load(
            "store:\n  kind: postgresql\n  url: jdbc:postgresql://db:5432/fedtrace\n"
                + "  user: node\n  passwordFile: db.secret\n  poolSize: 16\n");
    assertEquals(
        new NodeConfig.StoreEngine(
            NodeConfig.StoreKind.POSTGRESQL,
            "jdbc:postgresql://db:5432/fedtrace",
            "node",
            "",
            dir.resolve("db.secret"),
            16),
        c.store());
    assertFalse(c.toString().contains("s3cret"));
    assertFalse(
        load("store: {kind: postgresql, url: 'jdbc:postgresql://db/x', password: hunter2}")
            .toString()
            .contains("hunter2"),
        "a password never shows in the configuration's text");
  }

  @Test
  void aStoreSectionThatCannotWorkIsRefused() {
    assertEquals(
        "store.kind: expected sqlite or postgresql, got 'mysql'",
        refuse("store:\n  kind: mysql\n"));
    assertEquals(
        "store.url: expected jdbc:postgresql://host:port/database, got ''",
        refuse("store:\n  kind: postgresql\n"));
    assertEquals(
        "store.url: expected jdbc:postgresql://host:port/database, got 'jdbc:mysql://db/x'",
        refuse("store:\n  kind: postgresql\n  url: jdbc:mysql://db/x\n"));
    assertEquals(
        "store.password: give the password or store.passwordFile, not both",
        refuse(
            "store:\n  kind: postgresql\n  url: jdbc:postgresql://db/x\n  password: a\n"
                + "  passwordFile: f\n"));
    assertEquals(
        "store.poolSize: must be in 2..200, got 1",
        refuse("store:\n  kind: postgresql\n  url: jdbc:postgresql://db/x\n  poolSize: 1\n"));
    assertEquals(
        "store: url, user and password are for kind postgresql; kind sqlite keeps the store in"
            + " dataDir",
        refuse("store:\n  url: jdbc:postgresql://db/x\n"));
    assertEquals("store.host: unknown setting", refuse("store:\n  host: db\n"));
    assertEquals(
        "keys.custody: expected file or pkcs11, got 'kms'", refuse("keys:\n  custody: kms\n"));
    assertEquals(
        "keys.tokenLabel: expected 1 to 32 bytes, got '" + "x".repeat(33) + "'",
        refuse("keys:\n  custody: pkcs11\n  tokenLabel: " + "x".repeat(33) + "\n"));
    assertEquals(
        "keys.signingKeyLabel: expected a label, got nothing",
        refuse("keys:\n  custody: pkcs11\n  signingKeyLabel: ' '\n"));
    assertEquals("keys.pin: unknown setting", refuse("keys:\n  pin: 1234\n"));
  }

  @Test
  void theExportSectionIsOffByDefaultAndRefusesPolicyValuesOutsideTheSpec() throws Exception {
    Export off = load("").export();
    assertEquals(null, off.directory());
    assertEquals(dir.resolve("export-signing.key"), off.signingKey());
    assertEquals(7_200, off.policy().delaySeconds());
    assertEquals(1_000, off.policy().minKeys());
    Export on = load("export: {directory: www, keyId: '262', minKeys: 140}\n").export();
    assertEquals(dir.resolve("www"), on.directory());
    assertEquals("262", on.keyId());
    assertEquals(140, on.policy().minKeys());
    assertEquals(
        "export.delaySeconds: must be in 7200..604800, got 3600",
        refuse("export: {delaySeconds: 3600}\n"));
    assertEquals(
        "export.minKeys: must be in 140..100000, got 100", refuse("export: {minKeys: 100}\n"));
    assertEquals(
        "export.keyId: required with export.directory: phones find the verification key by it",
        refuse("export: {directory: www}\n"));
    assertEquals(
        "export.combinedRegion: expected 1 to 16 letters or digits, not a country code, got 'DE'",
        refuse("export: {combinedRegion: DE}\n"));
    assertEquals(
        "export.maxKeysPerFile: must be in 2 x minKeys..400000, got 500000 with minKeys 1000",
        refuse("export: {maxKeysPerFile: 500000}\n"));
  }

  @Test
  void theExampleConfigDocumentsEverySettingWithItsDefault() throws IOException, Exception {
    Path example = Path.of("config", "example-node.yaml");
    String text = Files.readString(example);
    NodeConfig parsed = NodeConfig.load(example);
    assertEquals(NodeConfig.defaults(example.toAbsolutePath().getParent()), parsed);
    for (Settings.Setting s : Settings.ALL) {
      String leaf = s.name().substring(s.name().lastIndexOf('.') + 1);
      // a dotted setting is looked up after its section's line: several sections have a port
      int dot = s.name().indexOf('.');
      Matcher section =
          Pattern.compile("(?m)^" + Pattern.quote(s.name().substring(0, Math.max(dot, 0))) + ":")
              .matcher(text);
      int from = dot > 0 && section.find() ? section.end() : 0;
      Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(leaf) + ":\\s*(\\S+)").matcher(text);
      assertTrue(m.find(from), "the example lacks " + s.name());
      String value = m.group(1).equals("\"\"") ? "" : m.group(1);
      assertEquals(s.defaultValue(), value, "default of " + s.name() + " in the example");
    }
  }

  @Test
  void aConfigurationMadeInCodeIsCheckedLikeAFile() {
    NodeConfig.Builder b =
        NodeConfig.builder(dir).batching(new NodeConfig.Batching(1000, 300, 3, 86_400, 10, 3));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, b::build);
    assertEquals("batching.minKeys: must be in 64..100000, got 10", e.getMessage());
    NodeConfig.Builder twice =
        NodeConfig.builder(dir)
            .peers(
                List.of(
                    NodeConfig.Peer.push(OperatorIdentity.parse("FR/a"), "a", 1),
                    NodeConfig.Peer.push(OperatorIdentity.parse("FR/a"), "b", 2)));
    assertEquals(
        "peers[1].identity: FR/a is listed twice",
        assertThrows(InvalidConfigException.class, twice::build).getMessage());
    OperatorIdentity fr = OperatorIdentity.parse("FR/a");
    NodeConfig.Builder none =
        NodeConfig.builder(dir)
            .peers(List.of(new NodeConfig.Peer(fr, List.of(), NodeConfig.SyncMode.PUSH)));
    assertEquals(
        "peers[0].addresses: expected at least one host:port",
        assertThrows(InvalidConfigException.class, none::build).getMessage());
    NodeConfig.Builder same =
        NodeConfig.builder(dir)
            .peers(
                List.of(
                    new NodeConfig.Peer(
                        fr,
                        List.of(new PeerAddress("::1", 1), new PeerAddress("::1", 1)),
                        NodeConfig.SyncMode.SUBSCRIBE)));
    assertEquals(
        "peers[0].addresses: [::1]:1 is listed twice",
        assertThrows(InvalidConfigException.class, same::build).getMessage());
  }

  @Test
  void aWrittenConfigurationReadsBackEqual() throws Exception {
    NodeConfig made =
        NodeConfig.builder(dir)
            .listen(new NodeConfig.Listen("::1", 7555))
            .peers(
                List.of(
                    NodeConfig.Peer.push(OperatorIdentity.parse("FR/op-fr"), "127.0.0.1", 7444),
                    NodeConfig.Peer.subscribe(OperatorIdentity.parse("BE/be1"), "::1", 7445),
                    new NodeConfig.Peer(
                        OperatorIdentity.parse("DE/op-de"),
                        List.of(new PeerAddress("de-1.example", 7443), new PeerAddress("::1", 1)),
                        NodeConfig.SyncMode.SUBSCRIBE)))
            .batching(new NodeConfig.Batching(500, 60, 1, 3_600, 64, 1))
            .limits(new NodeConfig.Limits(10_000, 4 << 20, 12.5, 1e6))
            .matching(new NodeConfig.Matching(NodeConfig.MatchingMode.OPERATOR, 7.5, 1000, 2))
            .metrics(new NodeConfig.Metrics("127.0.0.1", 0))
            .health(new NodeConfig.Health("0.0.0.0", 8081))
            .store(
                new NodeConfig.StoreEngine(
                    NodeConfig.StoreKind.POSTGRESQL,
                    "jdbc:postgresql://db:5432/fedtrace",
                    "fedtrace",
                    "",
                    dir.resolve("db.secret"),
                    12))
            .keys(
                new Keys(
                    Keys.Custody.PKCS11,
                    Path.of("/usr/lib/vendor/pkcs11.so"),
                    "token",
                    dir.resolve("hsm.pin"),
                    "signing"))
            .export(
                new Export(
                    dir.resolve("www"),
                    dir.resolve("export.key"),
                    "262",
                    "v2",
                    new org.fedtrace.export.ExportPolicy(10_000, 500, 2_000, "EUR", 7)))
            .build();
    Path file = dir.resolve("elsewhere").resolve("node.yaml");
    Files.createDirectories(file.getParent());
    NodeConfigWriter.write(made, file);
    assertEquals(made, NodeConfig.load(file));
    String yaml = Files.readString(file);
    assertTrue(yaml.contains("address: \"127.0.0.1:7444\""), "one address stays one:\n" + yaml);
    assertTrue(yaml.contains("addresses:"), "replicas are a list:\n" + yaml);
  }
}
