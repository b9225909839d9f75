package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("simulate"));
    all.addAll(Arrays.asList(args));
    return cl.execute(all.toArray(String[]::new));
  }

  private JsonNode report(Path folder) throws Exception {
    return new ObjectMapper().readTree(folder.resolve("report.json").toFile());
  }

  @Test
  void runsWritesTheReportAndSummarizes() throws Exception {
    Path outDir = dir.resolve("out");

    int status = run("--agents", "3000", "--days", "3", "--seed", "5", "--out", outDir.toString());

    assertEquals(0, status, err.toString());
    JsonNode r = report(outDir);
    assertEquals(5, r.at("/seed").asLong());
    assertEquals(3000, r.at("/agents").asInt());
    assertEquals(3, r.at("/days").asInt());
    assertEquals("mesh", r.at("/topology").asText());
    assertTrue(Files.exists(outDir.resolve("report.md")));
    assertTrue(Files.exists(outDir.resolve("scenario.yaml")));
    assertTrue(out.toString().startsWith("federated run: 3,000 people, 6 countries, 3 days"));
    assertTrue(out.toString().contains("report: " + outDir.resolve("report.md")));
    String progress = err.toString();
    assertTrue(progress.contains("fedtrace simulate: setup\n"), progress);
    assertTrue(progress.contains("fedtrace simulate: simulate: day 3/3, "), progress);
    assertTrue(progress.contains("fedtrace simulate: measure...\n"), progress);
    assertTrue(progress.contains("fedtrace simulate: done in "), progress);
  }

  @Test
  void optionsOverrideTheScenarioFile() throws Exception {
    Path scenario = dir.resolve("s.yaml");
    Files.writeString(
        scenario,
        "agents: 2000\ndays: 2\nfederation: {topology: hub, hub: NL}\nepidemic: "
            + "{initial_infections: 50}\n");
    Path outDir = dir.resolve("o");

    int status =
        run(
            "--scenario", scenario.toString(),
            "--out", outDir.toString(),
            "--days", "3",
            "--matching", "operator",
            "--countries", "nl,BE,PT");

    assertEquals(0, status, err.toString());
    JsonNode r = report(outDir);
    assertEquals(2000, r.at("/agents").asInt());
    assertEquals(3, r.at("/days").asInt());
    assertEquals("hub", r.at("/topology").asText());
    assertEquals("operator", r.at("/matching").asText());
    assertEquals("NL", r.at("/federation/hub").asText());
    assertEquals("[\"NL\",\"BE\",\"PT\"]", r.at("/countries").toString());
    assertEquals(scenario.toString(), r.at("/scenario").asText());
  }

  @Test
  void aHundredCountries() throws Exception {
    List<String> codes = Arrays.stream(Locale.getISOCountries()).sorted().limit(100).toList();
    Path outDir = dir.resolve("hundred");

    int status =
        run(
            "--countries",
            String.join(",", codes),
            // a hub: a hundred nodes in a full mesh are 9,900 links, minutes of a 2-core build
            "--topology",
            "hub",
            "--agents",
            "5000",
            "--days",
            "2",
            "--out",
            outDir.toString());

    assertEquals(0, status, err.toString());
    assertEquals(100, report(outDir).at("/countries").size());
    assertEquals(100, report(outDir).at("/traffic/bytes_per_day_by_country").size());
  }

  @Test
  void invalidOptionsExitTwoWithOneLine() {
    assertUsage(
        "fedtrace: --topology must be mesh, hub or chain, got 'ring' (see 'fedtrace simulate"
            + " --help')",
        "--topology",
        "ring");
    assertUsage(
        "fedtrace: --matching must be device or operator, got 'phone' (see 'fedtrace simulate"
            + " --help')",
        "--matching",
        "phone");
    assertUsage(
        "fedtrace: --agents must be in 1..20000000, got -5 (see 'fedtrace simulate --help')",
        "--agents",
        "-5");
    assertUsage(
        "fedtrace: --countries: 'XX' is not an ISO 3166-1 alpha-2 code in upper case (see"
            + " 'fedtrace simulate --help')",
        "--countries",
        "BE,XX");
    assertUsage(
        "fedtrace: Invalid value for option '--days': 'two' is not an int (see 'fedtrace"
            + " simulate --help')",
        "--days",
        "two");
  }

  @Test
  void anInvalidScenarioFileExitsTwoNamingTheField() throws Exception {
    Path scenario = dir.resolve("bad.yaml");
    Files.writeString(scenario, "contacts:\n  rate_per_day: -1\n");

    assertUsage(
        "fedtrace: " + scenario + ": contacts.rate_per_day: must be in 0..200, got -1",
        "--scenario",
        scenario.toString());
  }

  @Test
  void aMissingScenarioFileExitsTwo() {
    Path missing = dir.resolve("missing.yaml");

    assertUsage(
        "fedtrace: " + missing + ": no such scenario file", "--scenario", missing.toString());
  }

  @Test
  void anOutputThatIsAFileExitsTwo() throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "x");

    assertUsage(
        "fedtrace: --out " + file + " exists and is not a folder",
        "--out",
        file.toString(),
        "--agents",
        "700",
        "--days",
        "1");
  }

  private void assertUsage(String line, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);

    assertEquals(2, run(args), err.toString());
    assertEquals(line + System.lineSeparator(), err.toString());
    assertEquals("", out.toString());
  }
}
