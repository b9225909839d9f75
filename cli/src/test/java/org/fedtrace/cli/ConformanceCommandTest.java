package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fedtrace.node.Node;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace conformance kit} admits a kit to the agreement, and {@code fedtrace conformance}
 * runs selected cases against a node started from files as an operator would, with a report.
 */
class ConformanceCommandTest {
  private static final LocalDate SUNSET = LocalDate.now(ZoneOffset.UTC).plusYears(1);

  @TempDir Path tmp;

  @Test
  void kitThenRunAgainstANodeStartedFromFiles() throws Exception {
    Path ca = tmp.resolve("ca");
    Path de = tmp.resolve("de");
    Path kit = tmp.resolve("kit");
    authorityWithDe(ca, de);

    Run made = conformance("kit", "--ca", ca.toString(), "--node", "DE/op-de", "--out", kit + "");
    assertEquals(0, made.status, made.err);
    assertTrue(made.out.startsWith("wrote the conformance kit " + kit + "\n"), made.out);
    Agreement agreement = Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt")));
    assertEquals(
        List.of(
            new OperatorIdentity("AQ", "conformance-a"),
            new OperatorIdentity("BV", "conformance-b"),
            new OperatorIdentity("DE", "op-de"),
            new OperatorIdentity("HM", "conformance-c"),
            new OperatorIdentity("HM", "conformance-d")),
        agreement.members().stream()
            .sorted(java.util.Comparator.comparing(OperatorIdentity::toString))
            .toList());
    assertEquals(
        List.of("DE"),
        agreement.healthAuthorities().stream().map(HealthAuthority::country).toList());
    // four members (two of them regional, of HM), the health authority, the kit's two revoked
    // certificates and the kit's sharing terms (spec §25.3): 8 changes
    assertEquals(10, agreement.version());
    var fed = org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_FEDERATE;
    var trav = org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_TRAVELLER;
    org.fedtrace.pki.SharingTerms sharing = agreement.terms().sharing();
    assertTrue(sharing.allows("BV", "DE", fed) && !sharing.allows("BV", "DE", trav), "B to node");
    assertTrue(sharing.allows("DE", "AQ", fed) && !sharing.allows("DE", "AQ", trav), "node to A");
    assertTrue(sharing.allows("AQ", "DE", trav) && sharing.allows("DE", "BV", trav), "the rest");
    assertTrue(sharing.allows("HM", "DE", trav) && sharing.allows("DE", "HM", trav), "regional");
    assertEquals(
        List.of(
                Pem.readCertificate(kit.resolve("revoked").resolve("tls.crt")).getSerialNumber(),
                Pem.readCertificate(kit.resolve("revoked").resolve("signing.crt"))
                    .getSerialNumber())
            .stream()
            .sorted()
            .toList(),
        agreement.revokedCertificates().stream().map(r -> r.serial()).toList());
    assertArrayEquals(
        Files.readAllBytes(ca.resolve("agreement.json")),
        Files.readAllBytes(kit.resolve("agreement.json")));
    // the auditor (transparency.md §15.7): the node's PKI sees an auditor certificate of the
    // authority, and the agreement above does not list it
    java.security.cert.X509Certificate auditor =
        Pem.readCertificate(kit.resolve("auditor").resolve("tls.crt"));
    assertTrue(org.fedtrace.pki.CertificateValidator.isAuditor(auditor), "auditor purpose");
    assertEquals(
        Pem.readCertificate(ca.resolve("ca.crt")).getSubjectX500Principal(),
        auditor.getIssuerX500Principal());

    for (String f : List.of("agreement.json", "agreement.json.sig")) {
      Files.copy(kit.resolve(f), de.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(
        de.resolve("node.yaml"),
        "dataDir: data\nmetrics:\n  port: 0\nbatching:\n  maxAgeSeconds: 1\n  minKeys: 64\n"
            + "export:\n  keyId: '262'\n  minKeys: 140\n");
    Node node = Node.create(NodeConfig.load(de.resolve("node.yaml")), Clock.systemUTC());
    node.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(node.serverTls()));
    try {
      Path report = tmp.resolve("report");
      Run run =
          conformance(
              "--target",
              "127.0.0.1:" + node.port(),
              "--tls",
              kit.toString(),
              "--report",
              report.toString(),
              "--only",
              "R7.1,R8.19,R8.21,R12.19,R5_1_signsOwnBatchesOverTheEncoding,R17.16,R17.17,"
                  + "R26.10,R26.16,R26.12");
      assertEquals(0, run.status, run.out + run.err);
      assertTrue(run.out.contains("RULE    LEVEL  RESULT     TIME  CASE\n"), run.out);
      assertTrue(run.out.contains("R8.19   MUST   PASS"), run.out);
      assertTrue(run.out.contains("R17.16  MUST   PASS"), run.out);
      assertTrue(run.out.contains("R17.17  MUST   PASS"), run.out);
      assertTrue(run.out.contains("R26.10  MUST   PASS"), run.out);
      assertTrue(run.out.contains("R26.16  MUST   PASS"), run.out);
      // the sibling's cases wait for the regional pass, which the summary announces
      assertTrue(
          run.out.contains(
              "skipped R26_12_acceptsUploadsOnlyFromItsOwnBackend: needs the node on the kit's"
                  + " regional agreement (regional pass, §6.4)"),
          run.out);
      assertTrue(run.out.contains(" 0 failed (0 of MUST rules), 1 skipped"), run.out);
      assertTrue(
          run.out.contains(
              "regional pass (spec/conformance.md 6.4): install "
                  + kit.resolve("regional")
                  + "/agreement.json and"),
          run.out);
      assertTrue(
          run.out.contains(
              "second pass (spec/conformance.md 6.3): install "
                  + kit.resolve("past-sunset")
                  + "/agreement.json and"),
          run.out);
      String xml = Files.readString(report.resolve("TEST-fedtrace-conformance.xml"));
      assertTrue(
          xml.contains("<testsuite name=\"fedtrace-conformance\" tests=\"10\" failures=\"0\""),
          xml);
      assertTrue(xml.contains("name=\"R8_19_rejectsOriginNotSignerCountry [R8.19 MUST]\""), xml);

      // a kit written before 0.8.0 has no auditor credential: its cases skip, saying why
      Files.delete(kit.resolve("auditor").resolve("tls.crt"));
      Files.delete(kit.resolve("auditor").resolve("tls.key"));
      Files.delete(kit.resolve("auditor"));
      // nor regional members, nor a regional agreement: their cases skip, saying why
      for (String dir : List.of("member-c", "member-d", "regional")) {
        try (var files = Files.walk(kit.resolve(dir))) {
          for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
      Run old =
          conformance(
              "--target",
              "127.0.0.1:" + node.port(),
              "--tls",
              kit.toString(),
              "--report",
              report.toString(),
              "--only",
              "R17.16,R26.10,R26.12");
      assertEquals(0, old.status, old.out + old.err);
      assertTrue(
          old.out.contains(
              "skipped R26_10_refusesABatchSignedByAnotherMemberOfItsCountry: the test kit has no"
                  + " regional members C and D (kits before 0.8.0 regional members: make a new"
                  + " kit)"),
          old.out);
      assertTrue(
          old.out.contains(
              "skipped R26_12_acceptsUploadsOnlyFromItsOwnBackend: the test kit has no regional"
                  + " agreement and sibling (kits before 0.8.0, or without --node: make a new"
                  + " kit)"),
          old.out);
      assertFalse(old.out.contains("regional pass"), old.out);
      assertTrue(
          old.out.contains(
              "skipped R17_16_refusesAnAuditorEveryOtherService: the test kit has no auditor"
                  + " credential (kits before 0.8.0: make a new kit)"),
          old.out);

      // the node's export files, written by 'fedtrace export' from its store while it runs and
      // served over HTTP, as phones fetch them
      String conf = de.resolve("node.yaml").toString();
      assertEquals(
          0, Fedtrace.newCommandLine().execute("export", "--config", conf, "--generate-key"));
      Path www = tmp.resolve("www");
      assertEquals(
          0, Fedtrace.newCommandLine().execute("export", "--config", conf, "--out", www + ""));
      HttpServer http = serve(www);
      try {
        String root = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        String pub = de.resolve("export-signing.key.pub").toString();
        Run exports =
            conformance(
                "--target",
                "127.0.0.1:" + node.port(),
                "--tls",
                kit.toString(),
                "--report",
                report.toString(),
                "--only",
                "R24",
                "--exports",
                root,
                "--export-key",
                pub);
        assertEquals(0, exports.status, exports.out + exports.err);
        assertTrue(exports.out.contains("R24.19  SHOULD PASS"), exports.out);
        assertTrue(exports.out.contains("R24.1   MUST   PASS"), exports.out);
        assertTrue(exports.out.contains(" 0 failed (0 of MUST rules)"), exports.out);
        // another key: the signature case fails, and the run with it
        Path other = tmp.resolve("other.key");
        org.fedtrace.export.ExportKeys.generate(other, new java.security.SecureRandom());
        Run wrongKey =
            conformance(
                "--target",
                "127.0.0.1:" + node.port(),
                "--tls",
                kit.toString(),
                "--report",
                report.toString(),
                "--only",
                "R24.15",
                "--exports",
                root,
                "--export-key",
                org.fedtrace.export.ExportKeys.publicKeyFile(other).toString());
        assertEquals(1, wrongKey.status, wrongKey.out);
        assertTrue(
            wrongKey.out.contains("no signature verifies under the export key"), wrongKey.out);
      } finally {
        http.stop(0);
      }
    } finally {
      node.stop(Duration.ofSeconds(5));
    }
  }

  /** A plain HTTP server of the files under {@code root}, as a CDN serves export files. */
  private static HttpServer serve(Path root) throws java.io.IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          Path f = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          byte[] body = f.startsWith(root) && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    http.start();
    return http;
  }

  @Test
  void kitWritesTheTestSettingsAndAnEndedAgreementForTheSecondPass() throws Exception {
    Path ca = tmp.resolve("ca");
    Path de = tmp.resolve("de");
    Path kit = tmp.resolve("kit");
    authorityWithDe(ca, de);
    Files.writeString(
        de.resolve("node.yaml"),
        "listen: 127.0.0.1:17999\ndataDir: data\nmetrics:\n  port: 0\n"
            + "batching:\n  maxAgeSeconds: 300\n  minKeys: 64\n"
            + "limits:\n  requestsPerSecondPerPeer: 150\n");
    Run made =
        conformance(
            "kit",
            "--ca",
            ca.toString(),
            "--node",
            "DE/op-de",
            "--node-config",
            de.resolve("node.yaml").toString(),
            "--out",
            kit + "");
    assertEquals(0, made.status, made.err);
    assertTrue(
        made.out.contains(
            "with batching.maxAgeSeconds 1, matching.mode operator, an export.keyId and the"
                + " public endpoint on"),
        made.out);

    NodeConfig test = NodeConfig.load(kit.resolve("node-under-test.yaml"));
    assertEquals(1, test.batching().maxAgeSeconds());
    assertEquals(NodeConfig.MatchingMode.OPERATOR, test.matching().mode());
    assertEquals(150, test.limits().requestsPerSecondPerPeer());
    assertEquals(17999, test.listen().port());
    assertEquals(de.resolve("data").toAbsolutePath(), test.dataDir());
    // 'fedtrace export' works on it: a test key id where the operator's configuration has none
    assertEquals("999", test.export().keyId());
    assertEquals(18000, test.publicSite().port());
    assertEquals(de.resolve("export-signing.key").toAbsolutePath(), test.export().signingKey());

    Agreement active = Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt")));
    Agreement ended =
        Agreement.load(kit.resolve("past-sunset"), Pem.readCertificate(ca.resolve("ca.crt")));
    Agreement regional =
        Agreement.load(kit.resolve("regional"), Pem.readCertificate(ca.resolve("ca.crt")));
    assertEquals(active.version() + 1, regional.version());
    List<OperatorIdentity> withSibling = new java.util.ArrayList<>(active.members());
    withSibling.add(new OperatorIdentity("DE", "conformance-sibling"));
    assertEquals(
        withSibling.stream().map(OperatorIdentity::toString).sorted().toList(),
        regional.members().stream().map(OperatorIdentity::toString).sorted().toList());
    // after the regional one, so that one node runs the three agreements in turn (R2.5)
    assertEquals(active.version() + 2, ended.version());
    assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(2), ended.sunsetDate());
    assertEquals(active.members(), ended.members());
    assertEquals(active.healthAuthorities(), ended.healthAuthorities());

    // the regional pass: the node, now DE-op-de, runs only the cases of the sibling
    for (String f : List.of("agreement.json", "agreement.json.sig")) {
      Files.copy(
          kit.resolve("regional").resolve(f), de.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Node member = Node.create(test, Clock.systemUTC());
    member.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(member.serverTls()));
    try {
      Run run =
          conformance(
              "--target",
              "127.0.0.1:" + member.port(),
              "--tls",
              kit.toString(),
              "--report",
              tmp.resolve("report").toString(),
              "--only",
              "R8.19,R26.12,R26.14,R26.15");
      assertEquals(0, run.status, run.out + run.err);
      assertTrue(
          run.out.contains("4 cases: 3 passed, 0 failed (0 of MUST rules), 1 skipped"), run.out);
      assertTrue(
          run.out.contains(
              "skipped R8_19_rejectsOriginNotSignerCountry: the node runs the kit's regional"
                  + " agreement: only the regional cases run"),
          run.out);
      assertFalse(run.out.contains("regional pass"), run.out);
      assertTrue(run.out.contains("second pass"), run.out);
    } finally {
      member.stop(Duration.ofSeconds(5));
    }

    // the last pass: the node on the ended agreement runs only the past-sunset cases
    for (String f : List.of("agreement.json", "agreement.json.sig")) {
      Files.copy(
          kit.resolve("past-sunset").resolve(f),
          de.resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Node node = Node.create(test, Clock.systemUTC());
    node.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(node.serverTls()));
    try {
      Run run =
          conformance(
              "--target",
              "127.0.0.1:" + node.port(),
              "--tls",
              kit.toString(),
              "--report",
              tmp.resolve("report").toString(),
              "--only",
              "R8.19,R21_6_refusesExchangeUnderPastSunsetAgreement");
      assertEquals(0, run.status, run.out + run.err);
      assertTrue(run.out.contains("2 cases: 1 passed, 0 failed (0 of MUST rules), 1 skipped"));
      assertFalse(run.out.contains("second pass"), run.out);
      assertTrue(
          run.out.contains(
              "skipped R8_19_rejectsOriginNotSignerCountry: the node runs the kit's past-sunset"
                  + " agreement: only the past-sunset cases run"),
          run.out);
    } finally {
      node.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void aKitWhoseMembersCannotBeAdmittedLeavesNoFolderBehind() {
    Path ca = tmp.resolve("ca");
    Path kit = tmp.resolve("kit");
    authorityWithDe(ca, tmp.resolve("de"));

    Run taken =
        conformance("kit", "--ca", ca.toString(), "--countries", "DE,BV", "--out", kit + "");
    assertEquals(1, taken.status, taken.out);
    assertTrue(taken.err.contains("cannot admit DE/conformance-a"), taken.err);
    assertTrue(taken.err.contains("(choose --countries)"), taken.err);
    assertFalse(Files.exists(kit), "no half-made kit in the way of the retry");

    Run retry = conformance("kit", "--ca", ca.toString(), "--out", kit + "");
    assertEquals(0, retry.status, retry.err);
  }

  @Test
  void usageErrors() {
    Run none = conformance("--tls", tmp.toString());
    assertEquals(2, none.status);
    assertTrue(none.err.contains("--target and --tls are required"), none.err);
    Run kitMissing =
        conformance("--target", "127.0.0.1:1", "--tls", tmp.resolve("nope").toString());
    assertEquals(1, kitMissing.status);
    Run badOnly =
        conformance("--target", "127.0.0.1:1", "--tls", tmp.toString(), "--only", "R99.1");
    assertEquals(2, badOnly.status);
    assertTrue(badOnly.err.contains("'R99.1' selects no case"), badOnly.err);
    Run keyAlone =
        conformance("--target", "127.0.0.1:1", "--tls", tmp.toString(), "--export-key", "k.pub");
    assertEquals(2, keyAlone.status);
    assertTrue(keyAlone.err.contains("--export-key needs --exports"), keyAlone.err);
    Run noRoot =
        conformance(
            "--target",
            "127.0.0.1:1",
            "--tls",
            tmp.toString(),
            "--exports",
            tmp.resolve("absent").toString());
    assertEquals(2, noRoot.status);
    assertTrue(noRoot.err.contains("expected an http(s) URL or a directory"), noRoot.err);
  }

  /** The federation authority in {@code ca} and member DE/op-de's operator folder {@code de}. */
  private void authorityWithDe(Path ca, Path de) {
    pki("pki", "init", "--out", ca.toString(), "--federation", "demo", "--sunset", SUNSET + "");
    pki(
        "pki",
        "issue",
        "--ca",
        ca + "",
        "--country",
        "DE",
        "--operator",
        "op-de",
        "--out",
        de + "");
  }

  private void pki(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    assertEquals(0, cl.execute(args), err.toString());
  }

  private static Run conformance(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    if (!cl.getSubcommands().containsKey("conformance")) {
      cl.addSubcommand(new ConformanceCommand());
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "conformance";
    System.arraycopy(args, 0, all, 1, args.length);
    int status = cl.execute(all);
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {}
}
