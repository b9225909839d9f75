package org.fedtrace.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** What a run prints and writes: a table of results and a JUnit XML report. */
public final class Reports {
  /** The file name of the JUnit XML report. */
  public static final String JUNIT_FILE = "TEST-fedtrace-conformance.xml";

  private Reports() {}

  /** Prints one table row for {@code r}: rule, level, result, time and case name. */
  public static void row(PrintWriter out, Result r) {
    out.printf(
        Locale.ROOT,
        "%-7s %-6s %-7s %7s  %s%n",
        r.info().rule(),
        r.level(),
        r.outcome() == Result.Outcome.PASSED
            ? "PASS"
            : r.outcome() == Result.Outcome.FAILED ? "FAIL" : "SKIP",
        millis(r.time()),
        r.info().name());
    out.flush();
  }

  /** The table header. */
  public static void header(PrintWriter out) {
    out.printf(Locale.ROOT, "%-7s %-6s %-7s %7s  %s%n", "RULE", "LEVEL", "RESULT", "TIME", "CASE");
  }

  /** Prints the summary and the reason of every failure and skip. */
  public static void summary(PrintWriter out, List<Result> results, Duration total) {
    long passed = count(results, Result.Outcome.PASSED);
    long failed = count(results, Result.Outcome.FAILED);
    long skipped = count(results, Result.Outcome.SKIPPED);
    long mustFailed =
        results.stream()
            .filter(r -> r.outcome() == Result.Outcome.FAILED)
            .filter(r -> r.level() == SpecRules.Level.MUST)
            .count();
    for (Result r : results) {
      if (r.outcome() != Result.Outcome.PASSED) {
        out.printf(
            Locale.ROOT,
            "%s %s: %s%n",
            r.outcome() == Result.Outcome.FAILED ? "FAILED " : "skipped",
            r.info().name(),
            r.detail());
      }
    }
    out.printf(
        Locale.ROOT,
        "%d cases: %d passed, %d failed (%d of MUST rules), %d skipped, in %s%n",
        results.size(),
        passed,
        failed,
        mustFailed,
        skipped,
        millis(total));
    out.flush();
  }

  /** Writes the JUnit XML report into {@code dir} (created if missing). */
  public static Path writeJunit(Path dir, String target, List<Result> results, Instant started)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    double total = results.stream().mapToDouble(r -> seconds(r.time())).sum();
    xml.append(
        String.format(
            Locale.ROOT,
            "<testsuite name=\"fedtrace-conformance\" tests=\"%d\" failures=\"%d\" errors=\"0\""
                + " skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\" hostname=\"%s\">\n",
            results.size(),
            count(results, Result.Outcome.FAILED),
            count(results, Result.Outcome.SKIPPED),
            total,
            started.toString().replaceAll("\\.\\d+Z$", ""),
            escape(target)));
    xml.append("  <properties>\n")
        .append("    <property name=\"target\" value=\"")
        .append(escape(target))
        .append("\"/>\n  </properties>\n");
    for (Result r : results) {
      xml.append(
          String.format(
              Locale.ROOT,
              "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">\n",
              escape(r.info().method().getDeclaringClass().getName()),
              escape(r.info().name() + " [" + r.info().rule() + " " + r.level() + "]"),
              seconds(r.time())));
      if (r.outcome() == Result.Outcome.FAILED) {
        xml.append("    <failure message=\"")
            .append(escape(r.detail()))
            .append("\" type=\"")
            .append(r.failure() == null ? "AssertionError" : r.failure().getClass().getName())
            .append("\">")
            .append(escape(trace(r.failure())))
            .append("</failure>\n");
      } else if (r.outcome() == Result.Outcome.SKIPPED) {
        xml.append("    <skipped message=\"").append(escape(r.detail())).append("\"/>\n");
      }
      xml.append("  </testcase>\n");
    }
    xml.append("</testsuite>\n");
    Path file = dir.resolve(JUNIT_FILE);
    Files.writeString(file, xml, StandardCharsets.UTF_8);
    return file;
  }

  private static long count(List<Result> results, Result.Outcome o) {
    return results.stream().filter(r -> r.outcome() == o).count();
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String trace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\n', '\t', '\r' -> out.append(c);
        default -> {
          if (c >= 0x20) {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
