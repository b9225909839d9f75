package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fedtrace bench match}, run in-process on tiny sizes: its figures are not checked. */
class BenchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    picocli.CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 40, 5_000})
  void jsonReportsAsManyMatchesAsWerePlanted(int indexSize) throws Exception {
    int status =
        run(
            "bench",
            "match",
            "--index-size",
            String.valueOf(indexSize),
            "--keys",
            "300",
            "--threads",
            "2",
            "--rounds",
            "1",
            "--naive-keys",
            "3",
            "--json");
    assertEquals(0, status, err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    for (String field :
        List.of(
            "index_size",
            "threads",
            "derive_only_rpis_per_second",
            "pipeline_rpis_per_second",
            "naive_rpis_per_second",
            "planted_matches",
            "matches_found")) {
      assertTrue(json.has(field), field);
    }
    assertEquals(indexSize, json.get("index_size").asInt());
    assertEquals(2, json.get("threads").asInt());
    assertTrue(json.get("planted_matches").asInt() > 0);
    assertEquals(json.get("planted_matches").asLong(), json.get("matches_found").asLong());
    assertEquals(1, out.toString().strip().lines().count(), "exactly one JSON object on stdout");
    String progress = String.format(Locale.ROOT, "%,d of %,d observations", indexSize, indexSize);
    assertTrue(err.toString().contains(progress), err.toString());
  }

  @Test
  void tableReportsEveryRateAndTheMatches() {
    int status =
        run(
            "bench",
            "match",
            "--index-size",
            "3000",
            "--keys",
            "200",
            "--rounds",
            "2",
            "--naive-keys",
            "2",
            "--probe",
            "partitioned");
    assertEquals(0, status, err.toString());
    String table = out.toString();
    assertTrue(table.contains("derive only (HKDF + AES, no lookups)"), table);
    assertTrue(table.contains("pipeline (derive, filter, table)"), table);
    assertTrue(table.contains("naive (Cipher per RPI, HashSet)"), table);
    assertTrue(table.contains("probe partitioned"), table);
    assertTrue(table.contains("matches: 250 found, 250 planted"), table);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--index-size|0|--index-size must be in 1..100000000, got 0",
        "--index-size|100000001|--index-size must be in 1..100000000, got 100000001",
        "--keys|0|--keys must be in 1..10000000, got 0",
        "--threads|0|--threads must be in 1..256, got 0",
        "--threads|257|--threads must be in 1..256, got 257",
        "--rounds|0|--rounds must be in 1..100, got 0",
        "--naive-keys|-1|--naive-keys must be in 0..1000000, got -1",
        "--probe|sideways|--probe must be direct or partitioned, got 'sideways'",
        "--keys|many|Invalid value for option '--keys': 'many' is not an int"
      })
  void refusesBadOptionsWithOneLineAndStatus2(String option, String value, String message) {
    assertEquals(2, run("bench", "match", option, value));
    assertEquals(
        "fedtrace: " + message + " (see 'fedtrace bench match --help')" + System.lineSeparator(),
        err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void naiveKeysZeroSkipsTheBaseline() throws Exception {
    int status =
        run(
            "bench",
            "match",
            "--index-size",
            "500",
            "--keys",
            "50",
            "--rounds",
            "1",
            "--naive-keys",
            "0",
            "--json");
    assertEquals(0, status, err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertTrue(json.get("naive_rpis_per_second").isNull());
    assertEquals(json.get("planted_matches").asLong(), json.get("matches_found").asLong());
  }

  @Test
  void benchWithoutSubcommandIsAUsageError() {
    assertEquals(2, run("bench"));
    assertEquals(
        "fedtrace: missing subcommand (see 'fedtrace bench --help')" + System.lineSeparator(),
        err.toString());
  }
}
