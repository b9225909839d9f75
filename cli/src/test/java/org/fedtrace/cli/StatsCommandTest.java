package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import org.fedtrace.node.Node;
import org.fedtrace.pki.Pem;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace stats} against a real node's public endpoint: it sums the ledger of the node's
 * releases and finds it consistent; a node without statistics says so; a bad URL is a usage error
 * and an endpoint that does not answer exit status 1.
 */
class StatsCommandTest {
  @TempDir Path dir;

  private static String[] run(int expectedStatus, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedStatus, cl.execute(args), out + "\n" + err);
    return new String[] {out.toString(), err.toString()};
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void sumsAndChecksTheLedgerOfANodesReleases() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    try (TestFederation f =
        TestFederation.create(dir.resolve("fed"), clock, "DE", "FR").withoutBackgroundWork()) {
      f.withConfig(
          "public:\n  host: 127.0.0.1\n  port: "
              + freePort()
              + "\nstatistics:\n  enabled: true\n  epsilonPerDay: 0.5\n");
      Node node = f.startNode("DE");
      Path ca = dir.resolve("ca.crt");
      Pem.writeCertificates(ca, f.pki().caCertificate());
      String url = "https://127.0.0.1:" + node.publicPort();
      TestBatches keys = new TestBatches(1, clock.instant());
      for (int i = 0; i < 3; i++) {
        f.upload(node, keys.keys(2, 2));
      }
      clock.set(Instant.parse("2026-12-04T00:00:00Z"));
      assertEquals(2, node.releaseStatistics().released().size(), "Nov 30 and Dec 1, 48 hours on");
      String out = run(0, "stats", "--url", url, "--ca", ca.toString())[0];
      assertTrue(out.contains("2026-11-30  0.5"), out);
      assertTrue(
          out.contains(
              "2 releases; ledger sum 1; node states spent 1 of a budget of 400 (discrete Laplace,"
                  + " epsilon 0.5 a day)"),
          out);
      // a node whose stated spending disagrees with its ledger: exit 3, the rule on stderr
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(
                  "jdbc:sqlite:" + f.dir("DE").resolve("data/fedtrace.db"));
          java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE stat_release SET epsilon = '0.25' WHERE day = '2026-11-30'");
      }
      String[] bad = run(3, "stats", "--url", url, "--ca", ca.toString());
      assertTrue(
          bad[1].contains("fedtrace stats: R18.8: the ledger sums to 1, the node states 0.75"),
          bad[1]);
    }
  }

  @Test
  void saysSoWhenTheNodeReleasesNoStatisticsAndRefusesBadInput() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestFederation f =
        TestFederation.create(dir.resolve("fed"), clock, "DE").withoutBackgroundWork()) {
      f.withConfig("public:\n  host: 127.0.0.1\n  port: " + freePort() + "\n");
      Node node = f.startNode("DE");
      Path ca = dir.resolve("ca.crt");
      Pem.writeCertificates(ca, f.pki().caCertificate());
      String out =
          run(0, "stats", "--url", "https://127.0.0.1:" + node.publicPort(), "--ca", ca.toString())[
              0];
      assertTrue(out.startsWith("the node releases no statistics: "), out);
    }
    String err = run(2, "stats", "--url", "http://127.0.0.1:1")[1];
    assertTrue(err.contains("--url: expected https://HOST:PORT, got http://127.0.0.1:1"), err);
    err = run(1, "stats", "--url", "https://127.0.0.1:" + freePort())[1];
    assertTrue(err.contains("cannot read https://127.0.0.1:"), err);
  }
}
