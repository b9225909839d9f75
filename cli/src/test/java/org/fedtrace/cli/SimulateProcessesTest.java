package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.sim.SimClock;
import org.fedtrace.sim.federation.FederationSpec;
import org.fedtrace.sim.federation.NodeLauncher;
import org.fedtrace.sim.federation.ProcessFederation;
import org.fedtrace.sim.federation.SimulatedNode;
import org.fedtrace.sim.federation.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace simulate --processes}: every node is a process of its own ({@code
 * SimulatedNode}), on the simulated time of a shared memory-mapped file; the figures are those of
 * the run with all nodes in one JVM, and no node process outlives the run, even a failed one. The
 * deployed node command knows nothing of simulation.
 */
class SimulateProcessesTest {
  private static final Instant START = Instant.parse("2021-03-01T00:00:00Z");
  private static final String[] SMALL = {
    "--agents", "3000", "--days", "2", "--countries", "BE,NL,LU", "--seed", "2020"
  };

  /** The default scenario with phones matching the batches that reach their home node. */
  private static final String BATCHES = "matching:\n  device_source: batches\n";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void noNodeProcessIsLeft() {
    assertEquals(List.of(), nodeProcesses());
  }

  @Test
  void eachNodeIsAProcessAndTheFiguresAreThoseOfTheNodesInOneJvm() throws Exception {
    Path processes = dir.resolve("processes");
    Path oneJvm = dir.resolve("one-jvm");
    // node processes write no key exports, so their phones match the batches: the run in one
    // JVM is told to do the same (matching.device_source, federation-sim/README.md)
    Path batches = Files.writeString(dir.resolve("batches.yaml"), BATCHES);

    assertEquals(0, simulate(processes, "--processes", "--scenario", batches + ""), err.toString());
    assertEquals(0, simulate(oneJvm, "--scenario", batches + ""), err.toString());

    JsonNode r = report(processes);
    double precision = r.at("/accuracy/precision").asDouble();
    double recall = r.at("/accuracy/recall").asDouble();
    assertTrue(precision > 0 && precision <= 1, "precision " + precision);
    assertTrue(recall > 0 && recall <= 1, "recall " + recall);
    assertEquals(0, r.at("/privacy/non_diagnosed_keys_shared").asLong());
    assertTrue(r.at("/ground_truth/batches_published").asLong() > 0);
    assertTrue(
        r.at("/ground_truth/smallest_batch_keys").asLong()
            >= r.at("/federation/padding_min_keys").asLong(),
        r.at("/ground_truth").toString());
    // traffic comes from the nodes' metrics endpoints; it differs from the other run by the few
    // bytes of each run's own certificates (their ECDSA signatures vary in length)
    double traffic = r.at("/traffic/bytes_per_node_per_day").asDouble();
    double trafficOneJvm = report(oneJvm).at("/traffic/bytes_per_node_per_day").asDouble();
    assertTrue(
        traffic > 0 && Math.abs(traffic - trafficOneJvm) < 0.05 * trafficOneJvm,
        traffic + " vs " + trafficOneJvm);
    assertEquals(figures(oneJvm), figures(processes));
  }

  @Test
  void inOperatorMatchingTheNodeProcessesMatchAndTheFiguresAreThoseOfTheNodesInOneJvm()
      throws Exception {
    Path processes = dir.resolve("processes");
    Path oneJvm = dir.resolve("one-jvm");

    assertEquals(0, simulate(processes, "--processes", "--matching", "operator"), err.toString());
    assertEquals(0, simulate(oneJvm, "--matching", "operator"), err.toString());

    JsonNode r = report(processes);
    assertTrue(r.at("/privacy/operator_learns_exposures").asLong() > 0, r.toString());
    assertTrue(r.at("/accuracy/notified").asLong() > 0, r.toString());
    assertEquals(figures(oneJvm), figures(processes));
  }

  @Test
  void theHelpListsTheOptionButNotTheNodesHiddenOnes() {
    CommandLine cl = Fedtrace.newCommandLine();
    assertTrue(cl.getSubcommands().get("simulate").getUsageMessage().contains("--processes"));
    assertFalse(cl.getSubcommands().get("node").getUsageMessage().contains("--simulated"));
  }

  @Test
  void theDeployedNodeHasNoSimulationOptions() throws Exception {
    Path config = Files.writeString(dir.resolve("node.yaml"), "");
    Path clock = Files.write(dir.resolve("clock"), new byte[] {1, 2, 3});

    assertEquals(
        2, fedtrace("node", "--config", config.toString(), "--simulated-clock", clock.toString()));
    assertEquals(
        "fedtrace: Unknown options: '--simulated-clock', '"
            + clock
            + "' (see 'fedtrace node --help')\n",
        err.toString());
  }

  @Test
  void aNodeThatDiesFailsTheRunWithTheEndOfItsLog() throws Exception {
    ProcessFederation federation =
        new ProcessFederation(spec(), new SimClock(START), NodeLauncher.current());
    String message;
    try {
      ProcessHandle nl = nodeProcess("--slot 1");
      nl.destroyForcibly();
      nl.onExit().join();

      message =
          assertThrows(IllegalStateException.class, () -> federation.exchange(START)).getMessage();

      assertTrue(
          message.startsWith(
              "node NL/sim-nl (process "
                  + nl.pid()
                  + ") exited with status 137; the end of its log "),
          message);
      assertTrue(message.contains("NL/sim-nl listening on port "), message);
    } finally {
      federation.close();
    }
    Path kept = keptFolder(message);
    assertTrue(Files.isRegularFile(kept.resolve("NL").resolve("node.log")), message);
    deleteTree(kept);
  }

  @Test
  void aNodeThatCannotStartFailsTheRunWithTheEndOfItsLog() throws Exception {
    NodeLauncher current = NodeLauncher.current();
    NodeLauncher broken =
        new NodeLauncher(current.java(), current.classPath(), "org.fedtrace.NoSuchMain", List.of());

    String message =
        assertThrows(
                IllegalStateException.class,
                () -> new ProcessFederation(spec(), new SimClock(START), broken))
            .getMessage();

    assertTrue(
        Pattern.compile(
                "node BE/sim-be \\(process \\d+\\) exited with status 1 while starting; the end of"
                    + " its log .*node\\.log:\n"
                    + "Error: Could not find or load main class org\\.fedtrace\\.NoSuchMain\n.*",
                Pattern.DOTALL)
            .matcher(message)
            .matches(),
        message);
    deleteTree(keptFolder(message));
  }

  private static FederationSpec spec() {
    return new FederationSpec(
        List.of("BE", "NL"), Topology.MESH, null, 1000, 7200, 1, 7200, 64, 14, START, 7, false, 5);
  }

  private int simulate(Path outDir, String... more) {
    List<String> args = new ArrayList<>(List.of("simulate", "--out", outDir.toString()));
    args.addAll(Arrays.asList(SMALL));
    args.addAll(Arrays.asList(more));
    return fedtrace(args.toArray(String[]::new));
  }

  private int fedtrace(String... args) {
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static JsonNode report(Path folder) throws Exception {
    return new ObjectMapper().readTree(folder.resolve("report.json").toFile());
  }

  /**
   * The report without wall-clock figures, traffic and phones' downloads, as SimulationTest
   * compares runs.
   */
  private static JsonNode figures(Path folder) throws Exception {
    ObjectNode n = (ObjectNode) report(folder);
    n.remove("throughput");
    n.remove("traffic");
    n.remove("downloads"); // exports run in-process only (federation-sim/README.md)
    ((ObjectNode) n.get("per_day")).remove("rpis_matched_per_second");
    ((ObjectNode) n.get("per_day")).remove("keys_exchanged_per_second");
    return n;
  }

  /** This JVM's node processes still running. */
  private static List<ProcessHandle> nodeProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(SimulatedNode.class.getName()))
        .toList();
  }

  private static ProcessHandle nodeProcess(String argument) {
    return nodeProcesses().stream()
        .filter(p -> p.info().commandLine().orElse("").contains(argument))
        .findFirst()
        .orElseThrow();
  }

  private static Path keptFolder(String message) {
    Matcher m = Pattern.compile("\\(the run's folder (.*) is kept\\)$").matcher(message);
    assertTrue(m.find(), message);
    Path folder = Path.of(m.group(1));
    assertTrue(Files.isDirectory(folder), message);
    return folder;
  }

  private static void deleteTree(Path folder) throws Exception {
    try (var walk = Files.walk(folder)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
