package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KeysCommandTest {
  private static final String TEK = "75c734c6dd1a782de7a965da5eb93125";

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void reproducesThePublishedRpiOfIntervalZeroAndPrintsADay() {
    Run r = run("keys", "rpis", "--tek", TEK, "--start", "2642976");
    assertEquals(0, r.status());
    String[] lines = r.out().split("\n");
    assertEquals(144, lines.length);
    assertEquals("8be6cd371c5c891604bfbe49df845096", lines[0]);
    for (String line : lines) {
      assertEquals(32, line.length());
      assertEquals(line.toLowerCase(java.util.Locale.ROOT), line);
    }
    assertEquals("", r.err());
  }

  @Test
  void countAndIntervalsBeyondOneDay() {
    Run r =
        run(
            "keys",
            "rpis",
            "--tek",
            TEK.toUpperCase(java.util.Locale.ROOT),
            "--start",
            "2642976",
            "--count",
            "300");
    assertEquals(0, r.status());
    String[] lines = r.out().split("\n");
    assertEquals(300, lines.length);
    Run shifted = run("keys", "rpis", "--tek", TEK, "--start", "2643120", "--count", "1");
    assertEquals(lines[144] + "\n", shifted.out());
  }

  @Test
  void badInputIsOneLineAndStatusTwo() {
    assertUsageError(
        "fedtrace: --tek is not hex: 75c734c6dd1a782de7a965da5eb9312z (see 'fedtrace keys rpis"
            + " --help')",
        "keys",
        "rpis",
        "--tek",
        "75c734c6dd1a782de7a965da5eb9312z",
        "--start",
        "1");
    assertUsageError(
        "fedtrace: --tek must be 32 hex digits (16 bytes), got 30 characters (see 'fedtrace keys"
            + " rpis --help')",
        "keys",
        "rpis",
        "--tek",
        TEK.substring(2),
        "--start",
        "1");
    assertUsageError(
        "fedtrace: --start must be an interval number in 0..4294967295, got -1 (see 'fedtrace"
            + " keys rpis --help')",
        "keys",
        "rpis",
        "--tek",
        TEK,
        "--start",
        "-1");
    assertUsageError(
        "fedtrace: --count must be at least 1, got 0 (see 'fedtrace keys rpis --help')",
        "keys",
        "rpis",
        "--tek",
        TEK,
        "--start",
        "1",
        "--count",
        "0");
    assertUsageError(
        "fedtrace: --start + --count - 1 exceeds the last interval number 4294967295 (see"
            + " 'fedtrace keys rpis --help')",
        "keys",
        "rpis",
        "--tek",
        TEK,
        "--start",
        "4294967295",
        "--count",
        "2");
  }

  private static void assertUsageError(String expected, String... args) {
    Run r = run(args);
    assertEquals(2, r.status());
    assertEquals("", r.out());
    assertEquals(expected + System.lineSeparator(), r.err());
  }
}
