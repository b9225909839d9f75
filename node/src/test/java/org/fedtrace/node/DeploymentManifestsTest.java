package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.node.config.Keys;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.PkiFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests (deploy/kubernetes) and the systemd unit (deploy/systemd) against the
 * node's real configuration: the node.yaml they carry is read by the node's own reader, and the
 * container ports, probes and mounts must be the listeners and paths it names. When it fails,
 * either the manifests drifted from node.yaml (fix the manifests), or a setting changed in {@code
 * NodeConfig} (fix both, and docs/deploy.md).
 */
class DeploymentManifestsTest {
  private static final Path K8S = DeployFiles.ROOT.resolve("kubernetes");
  private static Map<String, List<JsonNode>> manifests;

  @TempDir Path scratch;
  private JsonNode raw;
  private NodeConfig config;
  private JsonNode pod;
  private JsonNode container;

  @BeforeAll
  static void readManifests() throws IOException {
    manifests = DeployFiles.documents(K8S);
  }

  @BeforeEach
  void readNodeYaml() throws Exception {
    String yaml =
        object("ConfigMap", "fedtrace-node-config").path("data").path("node.yaml").asText();
    raw = DeployFiles.tree(yaml);
    config = DeployFiles.nodeConfig(yaml, scratch);
    pod = object("Deployment", "fedtrace-node").path("spec").path("template").path("spec");
    container = named(pod.path("containers"), "node");
  }

  @Test
  void everyManifestIsAnObjectOfTheNamespaceAndKustomizeAppliesThemAll() {
    Set<String> files = new TreeSet<>(manifests.keySet());
    files.remove("kustomization.yaml");
    Set<String> listed = new TreeSet<>();
    object("Kustomization", null).path("resources").forEach(r -> listed.add(r.asText()));
    assertEquals(files, listed, "kustomization.yaml lists every manifest");
    manifests.forEach(
        (file, docs) -> {
          for (JsonNode d : docs) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), file + ": apiVersion");
            String kind = d.path("kind").asText();
            if (!kind.equals("Kustomization") && !kind.equals("Namespace")) {
              assertEquals("fedtrace", d.path("metadata").path("namespace").asText(), file);
            }
          }
        });
  }

  @Test
  void containerPortsAreTheNodesListeners() {
    assertTrue(config.health().port() > 0, "the probes need health.port");
    Map<String, Integer> ports = containerPorts();
    assertEquals(config.listen().port(), ports.get("grpc"), "grpc = listen");
    assertEquals(config.metrics().port(), ports.get("metrics"), "metrics = metrics.port");
    assertEquals(config.health().port(), ports.get("health"), "health = health.port");
    for (String host :
        List.of(config.listen().host(), config.metrics().host(), config.health().host())) {
      assertTrue(
          Set.of("0.0.0.0", "::").contains(host), host + " is not reachable from the pod IP");
    }
    JsonNode annotations =
        object("Deployment", "fedtrace-node").path("spec").path("template").path("metadata");
    assertEquals(
        Integer.toString(config.metrics().port()),
        annotations.path("annotations").path("prometheus.io/port").asText(),
        "the scrape annotation names metrics.port");
    for (JsonNode p : object("Service", "fedtrace-node").path("spec").path("ports")) {
      assertEquals(config.listen().port(), port(p.path("targetPort")), "the Service's target");
    }
    for (JsonNode rule : object("NetworkPolicy", "fedtrace-node").path("spec").path("ingress")) {
      for (JsonNode p : rule.path("ports")) {
        assertNotNull(port(p.path("port")), "the NetworkPolicy names a port of the container");
      }
    }
  }

  @Test
  void everyProbeAsksTheHealthListenerOverGrpc() {
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode p = container.path(probe);
      assertTrue(p.has("grpc"), probe + " must be a grpc probe");
      assertFalse(
          p.has("httpGet") || p.has("tcpSocket") || p.has("exec"), probe + " has one handler");
      assertEquals(config.health().port(), port(p.path("grpc").path("port")), probe + " port");
      assertEquals(
          "",
          p.path("grpc").path("service").asText(""),
          probe + ": the whole node, which stays SERVING past the sunset (NodeHealth)");
    }
  }

  @Test
  void everyPathTheNodeReadsOrWritesIsMounted() {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    Path configFile = Path.of(args.get(args.indexOf("--config") + 1));
    JsonNode configVolume = mountOf(configFile.getParent());
    assertEquals("fedtrace-node-config", configVolume.path("configMap").path("name").asText());
    assertTrue(object("ConfigMap", "fedtrace-node-config").path("data").has(name(configFile)));

    JsonNode data = mountExactly(config.dataDir());
    assertTrue(data.has("emptyDir") || data.has("persistentVolumeClaim"), "dataDir is a volume");
    assertFalse(readOnly(config.dataDir()), "dataDir is writable");
    assertTrue(
        container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(),
        "read-only root: every writable path is a volume");
    assertFalse(readOnly(Path.of("/tmp")), "java.io.tmpdir (Netty's native library) is writable");

    JsonNode credentials = mountExactly(config.credentials());
    assertTrue(credentials.has("secret"), "the credentials come from a Secret");
    Set<String> needed =
        new HashSet<>(
            Set.of(PkiFiles.TLS_CERTIFICATE, PkiFiles.TLS_KEY, PkiFiles.SIGNING_CERTIFICATE));
    if (!raw.path("keys").path("custody").asText("file").equals("pkcs11")) {
      needed.add(PkiFiles.SIGNING_KEY);
    }
    for (String file : needed) {
      projects(config.credentials().resolve(file));
    }
    projects(config.federation().caCertificate());
    projects(config.federation().agreement());
    projects(config.federation().agreement().resolveSibling(PkiFiles.AGREEMENT_SIGNATURE));
    config.uploads().healthAuthorityKeys().forEach(this::projects);
    if (config.store().passwordFile() != null) {
      projects(config.store().passwordFile());
    }
    if (config.keys().custody() == Keys.Custody.PKCS11) {
      projects(config.keys().pinFile());
    }
  }

  @Test
  void aDisruptionLeavesAMajorityOfReplicas() {
    JsonNode deployment = object("Deployment", "fedtrace-node").path("spec");
    JsonNode pdb = object("PodDisruptionBudget", "fedtrace-node").path("spec");
    assertEquals(
        deployment.path("selector").path("matchLabels"), pdb.path("selector").path("matchLabels"));
    int replicas = deployment.path("replicas").asInt();
    assertTrue(replicas >= 3, "production runs several replicas");
    assertTrue(pdb.path("minAvailable").asInt() > replicas / 2);
    assertTrue(pdb.path("minAvailable").asInt() < replicas, "a drain can still proceed");
    assertEquals(
        deployment.path("selector").path("matchLabels"),
        object("Service", "fedtrace-node").path("spec").path("selector"));
  }

  @Test
  void theSystemdUnitGivesTheNodeWhatItsConfigurationNames() throws Exception {
    Map<String, List<String>> unit =
        systemdUnit(DeployFiles.ROOT.resolve("systemd/fedtrace-node.service"));
    NodeConfig c =
        DeployFiles.nodeConfig(
            Files.readString(DeployFiles.ROOT.resolve("systemd/node.yaml")), scratch);
    assertTrue(
        unit.get("ExecStart").get(0).contains("--config /etc/fedtrace/node.yaml"),
        "ExecStart reads the node.yaml installed from deploy/systemd");
    assertEquals(Path.of("/var/lib", one(unit, "StateDirectory")), c.dataDir());
    assertTrue(unit.get("ReadWritePaths").contains(c.dataDir().toString()));
    assertEquals(Path.of("/run/credentials/fedtrace-node.service"), c.credentials());
    Set<String> loaded = new HashSet<>();
    unit.get("LoadCredential").forEach(l -> loaded.add(l.substring(0, l.indexOf(':'))));
    assertTrue(
        loaded.containsAll(
            Set.of(
                PkiFiles.TLS_CERTIFICATE,
                PkiFiles.TLS_KEY,
                PkiFiles.SIGNING_CERTIFICATE,
                PkiFiles.SIGNING_KEY)),
        "LoadCredential= puts every credential file where node.yaml looks: " + loaded);
    assertEquals("strict", one(unit, "ProtectSystem"));
    assertEquals("yes", one(unit, "NoNewPrivileges"));
    assertEquals("yes", one(unit, "PrivateTmp"));
    assertEquals("", one(unit, "CapabilityBoundingSet"));
    assertFalse(unit.containsKey("MemoryDenyWriteExecute"), "the JVM's JIT cannot run under it");
  }

  // --- reading the manifests ---------------------------------------------------------------

  /** The one object of {@code kind} named {@code name} (any name when null). */
  private static JsonNode object(String kind, String name) {
    List<JsonNode> found = new ArrayList<>();
    manifests
        .values()
        .forEach(
            docs ->
                docs.stream()
                    .filter(d -> d.path("kind").asText().equals(kind))
                    .filter(
                        d -> name == null || d.path("metadata").path("name").asText().equals(name))
                    .forEach(found::add));
    assertEquals(1, found.size(), "one " + kind + " " + name);
    return found.get(0);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    return fail("nothing named " + name);
  }

  private Map<String, Integer> containerPorts() {
    Map<String, Integer> out = new HashMap<>();
    container
        .path("ports")
        .forEach(p -> out.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return out;
  }

  /** A port given by number or by the name of a container port. */
  private Integer port(JsonNode p) {
    return p.isInt() ? Integer.valueOf(p.asInt()) : containerPorts().get(p.asText());
  }

  /** The volume mounted at the deepest mount path holding {@code path}. */
  private JsonNode mountOf(Path path) {
    JsonNode best = null;
    int depth = -1;
    for (JsonNode m : container.path("volumeMounts")) {
      Path at = Path.of(m.path("mountPath").asText());
      if (path.startsWith(at) && at.getNameCount() > depth) {
        best = m;
        depth = at.getNameCount();
      }
    }
    assertNotNull(best, path + " is on the container's read-only root: mount it");
    return named(pod.path("volumes"), best.path("name").asText());
  }

  private JsonNode mountExactly(Path folder) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (Path.of(m.path("mountPath").asText()).equals(folder)) {
        return named(pod.path("volumes"), m.path("name").asText());
      }
    }
    return fail(folder + " must be a mount of its own");
  }

  private boolean readOnly(Path path) {
    mountOf(path);
    for (JsonNode m : container.path("volumeMounts")) {
      if (path.startsWith(Path.of(m.path("mountPath").asText()))) {
        return m.path("readOnly").asBoolean(false);
      }
    }
    return true;
  }

  /** Checks that {@code file} is a file of the volume mounted over its folder. */
  private void projects(Path file) {
    JsonNode volume = mountOf(file.getParent());
    JsonNode source = volume.has("secret") ? volume.path("secret") : volume.path("configMap");
    assertFalse(source.isMissingNode(), file + ": a Secret or ConfigMap volume");
    assertEquals(mountOf(file.getParent()), mountOf(file), file + " lies directly in its volume");
    Set<String> items = new HashSet<>();
    source.path("items").forEach(i -> items.add(i.path("path").asText()));
    assertTrue(
        items.contains(name(file)),
        file + ": the volume " + volume.path("name").asText() + " lists it in its items");
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static Map<String, List<String>> systemdUnit(Path file) throws IOException {
    Map<String, List<String>> out = new HashMap<>();
    String joined = Files.readString(file).replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String t = line.strip();
      int eq = t.indexOf('=');
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("[") || eq < 0) {
        continue;
      }
      out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>())
          .add(t.substring(eq + 1).strip().replaceAll("\\s+", " "));
    }
    return out;
  }

  private static String one(Map<String, List<String>> unit, String key) {
    List<String> v = unit.get(key);
    assertNotNull(v, key + " is set");
    assertEquals(1, v.size(), key + " is set once");
    return v.get(0);
  }
}
