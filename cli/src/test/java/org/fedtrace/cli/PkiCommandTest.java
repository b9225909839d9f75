package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.CertificatePurpose;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {
  private static final LocalDate SUNSET = LocalDate.now(ZoneOffset.UTC).plusYears(1);
  private static final OperatorIdentity DE = new OperatorIdentity("DE", "de-node");
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "fr-node");

  @TempDir Path tmp;

  private Path ca;

  @Test
  void initThenIssueTwoOperators() throws Exception {
    Run init = init();
    assertEquals(0, init.status, init.err);
    assertEquals("", init.err);
    assertTrue(
        init.out.startsWith("created the federation authority of 'eu-pilot' in " + ca + "\n"),
        init.out);
    assertEquals(List.of("agreement.json", "agreement.json.sig", "ca.crt", "ca.key"), list(ca));
    assertOwnerOnly(ca.resolve("ca.key"));
    assertEquals("rwx------", permissions(ca));

    Run de = issue("DE", "de-node", "de", "--dns", "node.example.de", "--dns", "192.0.2.1");
    assertEquals(0, de.status, de.err);
    assertEquals(
        "issued DE/de-node into "
            + tmp.resolve("de")
            + ": tls.crt/tls.key (TLS client and server), signing.crt/signing.key (batch"
            + " signing)",
        de.out.lines().findFirst().orElseThrow());
    Run fr = issue("FR", "fr-node", "fr");
    assertEquals(0, fr.status, fr.err);
    assertTrue(fr.out.contains("  agreement version 3, 2 member(s), updated in " + ca), fr.out);

    X509Certificate caCertificate = Pem.readCertificate(ca.resolve("ca.crt"));
    Agreement agreement = Agreement.load(ca, caCertificate);
    assertEquals(3, agreement.version());
    assertEquals(List.of(DE, FR), agreement.members());
    assertEquals(14, agreement.retentionDays());
    assertEquals(SUNSET, agreement.sunsetDate());

    CertificateValidator validator = CertificateValidator.trusting(caCertificate);
    Instant now = Instant.now();
    for (String operator : List.of("de", "fr")) {
      Path dir = tmp.resolve(operator);
      assertEquals(
          List.of(
              "agreement.json",
              "agreement.json.sig",
              "ca.crt",
              "signing.crt",
              "signing.key",
              "tls.crt",
              "tls.key"),
          list(dir));
      assertOwnerOnly(dir.resolve("tls.key"));
      assertOwnerOnly(dir.resolve("signing.key"));
      assertEquals("rwx------", permissions(dir));
      OperatorCredentials credentials = OperatorCredentials.load(dir, validator, now);
      assertEquals(operator.equals("de") ? DE : FR, credentials.identity());
      assertArrayEquals(
          Files.readAllBytes(ca.resolve("ca.crt")), Files.readAllBytes(dir.resolve("ca.crt")));
    }
    // The first operator's copy is the agreement as it was when it joined.
    assertEquals(List.of(DE), Agreement.load(tmp.resolve("de"), caCertificate).members());
    assertArrayEquals(agreement.json(), Agreement.load(tmp.resolve("fr"), caCertificate).json());

    X509Certificate tls = Pem.readCertificate(tmp.resolve("de").resolve("tls.crt"));
    assertEquals(
        List.of(
            List.of(6, "urn:fedtrace:operator:DE:de-node"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(2, "node.example.de"),
            List.of(7, "192.0.2.1")),
        List.copyOf(tls.getSubjectAlternativeNames()));
    assertEquals(
        SUNSET.plusDays(31).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1),
        tls.getNotAfter().toInstant());
    assertTrue(tls.getNotBefore().toInstant().isBefore(now.minusSeconds(3000)));
    assertEquals(DE, validator.validate(tls, CertificatePurpose.TLS_SERVER, now));
  }

  @Test
  void issuingAgainRenewsWithoutChangingTheAgreement() throws Exception {
    assertEquals(0, init().status);
    assertEquals(0, issue("DE", "de-node", "de").status);
    byte[] before = Files.readAllBytes(ca.resolve("agreement.json"));
    Run again = issue("DE", "de-node", "de-renewed", "--days", "7");
    assertEquals(0, again.status, again.err);
    assertTrue(again.out.contains("DE/de-node was a member already"), again.out);
    assertArrayEquals(before, Files.readAllBytes(ca.resolve("agreement.json")));
    X509Certificate tls = Pem.readCertificate(tmp.resolve("de-renewed").resolve("tls.crt"));
    long days =
        java.time.Duration.between(tls.getNotBefore().toInstant(), tls.getNotAfter().toInstant())
            .toHours();
    assertEquals(7 * 24 + 1, days);
  }

  @Test
  void initRefusesBadValuesWithStatus2() {
    ca = tmp.resolve("ca");
    String future = SUNSET.toString();
    assertUsage(
        "--sunset must be a date YYYY-MM-DD, got '2030-02-30'",
        "init",
        run("pki", "init", "--out", ca.toString(), "--federation", "x", "--sunset", "2030-02-30"));
    assertUsage(
        "--sunset 2020-01-01 is not in the future",
        "init",
        run("pki", "init", "--out", ca.toString(), "--federation", "x", "--sunset", "2020-01-01"));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertUsage(
        "--sunset " + today + " is not in the future",
        "init",
        run("pki", "init", "--out", ca.toString(), "--federation", "x", "--sunset", today));
    assertUsage(
        "--retention-days must be in 1..90, got 0",
        "init",
        run(
            "pki",
            "init",
            "--out",
            ca.toString(),
            "--federation",
            "x",
            "--sunset",
            future,
            "--retention-days",
            "0"));
    assertUsage(
        "'a/b' is not a federation name (1 to 64 of A-Z, a-z, 0-9, space, '.', '_' and '-',"
            + " starting with a letter or digit)",
        "init",
        run("pki", "init", "--out", ca.toString(), "--federation", "a/b", "--sunset", future));
    assertFalse(Files.exists(ca));
  }

  @Test
  void initRefusesAnExistingDirectory() throws Exception {
    ca = Files.createDirectory(tmp.resolve("ca"));
    Run run = init();
    assertEquals(1, run.status);
    assertEquals("fedtrace: output folder " + ca + " already exists\n", run.err);
    assertEquals(List.of(), list(ca));
  }

  @Test
  void issueRefusesBadValuesWithStatus2() throws Exception {
    assertEquals(0, init().status);
    assertUsage("XX is not an ISO 3166-1 alpha-2 country code", "issue", issue("XX", "op", "out"));
    assertUsage(
        "de is not an ISO 3166-1 alpha-2 country code (codes are upper case: DE)",
        "issue",
        issue("de", "op", "out"));
    assertUsage(
        "'Op_1' is not an operator id (1 to 32 of a-z, 0-9 and -)",
        "issue",
        issue("DE", "Op_1", "out"));
    assertUsage(
        "--dns 'bad_host' is not a DNS host name or an IP address",
        "issue",
        issue("DE", "op", "out", "--dns", "bad_host"));
    assertUsage(
        "--days must be in 1..3650, got 0", "issue", issue("DE", "op", "out", "--days", "0"));
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void issueRefusesAMissingOrIncompleteAuthorityWithStatus1() throws Exception {
    ca = tmp.resolve("nowhere");
    Run missing = issue("DE", "op", "out");
    assertEquals(1, missing.status);
    assertEquals("fedtrace: CA directory " + ca + " does not exist\n", missing.err);

    ca = Files.createDirectory(tmp.resolve("empty"));
    Run empty = issue("DE", "op", "out");
    assertEquals(1, empty.status);
    assertEquals(
        "fedtrace: " + ca + " is not a federation authority directory: ca.crt is missing\n",
        empty.err);
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void issueRefusesATamperedAgreement() throws Exception {
    assertEquals(0, init().status);
    Path json = ca.resolve("agreement.json");
    Files.writeString(
        json, Files.readString(json).replace("\"retention_days\": 14", "\"retention_days\": 90"));
    Run run = issue("DE", "op", "out");
    assertEquals(1, run.status);
    assertEquals(
        "fedtrace: "
            + json
            + ": the agreement signature does not verify against the federation authority"
            + " CN=eu-pilot Federation Authority\n",
        run.err);
  }

  @Test
  void issueRefusesAnExistingOutputFolder() throws Exception {
    assertEquals(0, init().status);
    Path out = Files.createDirectory(tmp.resolve("out"));
    Run run = issue("DE", "op", "out");
    assertEquals(1, run.status);
    assertEquals("fedtrace: output folder " + out + " already exists\n", run.err);
    assertEquals(1, Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt"))).version());
  }

  @Test
  void issueAddsASecondOperatorOfACountry() throws Exception {
    assertEquals(0, init().status);
    assertEquals(0, issue("DE", "de-node", "de").status);
    assertEquals(0, issue("DE", "de-other", "de-other").status);
    Agreement a = Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt")));
    assertEquals(
        List.of(new OperatorIdentity("DE", "de-node"), new OperatorIdentity("DE", "de-other")),
        a.members());
    assertTrue(Files.exists(tmp.resolve("de-other")));
  }

  @Test
  void helpDocumentsFilesAndDefaults() {
    Run pki = run("pki", "--help");
    assertEquals(0, pki.status);
    for (String file :
        List.of("ca.crt", "ca.key", "agreement.json.sig", "tls.key", "signing.crt", "rw-------")) {
      assertTrue(pki.out.contains(file), file);
    }
    assertTrue(run("pki", "init", "--help").out.contains("(default: 14)"));
    String issue = run("pki", "issue", "--help").out.replaceAll("\\s+", " ");
    assertTrue(issue.contains("(default: until 30 days after the agreement's sunset date)"), issue);
  }

  @Test
  void revokeListsTheCertificatesInANewAgreementVersion() throws Exception {
    assertEquals(0, init().status);
    assertEquals(0, issue("DE", "de-node", "de").status);
    Path tls = tmp.resolve("de").resolve("tls.crt");
    X509Certificate signing = Pem.readCertificate(tmp.resolve("de").resolve("signing.crt"));
    Agreement before = Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt")));

    Run revoke =
        run(
            "pki",
            "revoke",
            "--ca",
            ca.toString(),
            "--certificate",
            tls.toString(),
            "--serial",
            "serial=0" + signing.getSerialNumber().toString(16).toUpperCase(),
            "--reason",
            "superseded");

    assertEquals(0, revoke.status, revoke.err);
    Agreement after = Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt")));
    assertEquals(before.version() + 1, after.version());
    assertEquals(
        List.of(Pem.readCertificate(tls).getSerialNumber(), signing.getSerialNumber()).stream()
            .sorted()
            .toList(),
        after.revokedCertificates().stream().map(r -> r.serial()).toList());
    assertTrue(
        after.revokedCertificates().stream()
            .allMatch(r -> r.reason() == org.fedtrace.pki.RevokedCertificate.Reason.SUPERSEDED));
    assertTrue(
        revoke.out.contains(
            "revoked certificate " + signing.getSerialNumber().toString(16) + " (superseded)"),
        revoke.out);
    assertTrue(revoke.out.contains("is now version " + after.version()), revoke.out);
    // the operator folder, still on the old agreement, loads; on the new one its TLS certificate
    // no longer validates
    CertificateValidator revoking =
        CertificateValidator.trusting(Pem.readCertificate(ca.resolve("ca.crt")))
            .revoking(after.revokedCertificates());
    org.fedtrace.pki.CertificateRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.fedtrace.pki.CertificateRejectedException.class,
            () ->
                revoking.validate(
                    Pem.readCertificate(tls), CertificatePurpose.TLS_CLIENT, Instant.now()));
    assertEquals(org.fedtrace.pki.CertificateRejectedException.Reason.REVOKED, e.reason());

    Run again = run("pki", "revoke", "--ca", ca.toString(), "--certificate", tls.toString());
    assertEquals(1, again.status, again.err);
    assertEquals(
        "fedtrace: certificate "
            + Pem.readCertificate(tls).getSerialNumber().toString(16)
            + " is revoked already\n",
        again.err);
    assertEquals(
        after.version(), Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt"))).version());
  }

  @Test
  void revokeRefusesWhatTheAuthorityDidNotIssueAndBadOptions() throws Exception {
    assertEquals(0, init().status);
    Path ca1 = ca;
    Path other = tmp.resolve("other");
    assertEquals(
        0,
        run(
                "pki",
                "init",
                "--out",
                other.toString(),
                "--federation",
                "other",
                "--sunset",
                SUNSET.toString())
            .status);
    ca = other;
    assertEquals(0, issue("FR", "fr-node", "fr").status);
    ca = ca1;
    Path foreign = tmp.resolve("fr").resolve("tls.crt");
    Run refused = run("pki", "revoke", "--ca", ca.toString(), "--certificate", foreign.toString());
    assertEquals(1, refused.status, refused.err);
    assertEquals(
        "fedtrace: --certificate "
            + foreign
            + ": not issued by the federation authority in "
            + ca
            + "\n",
        refused.err);
    assertUsage(
        "name what to revoke with --certificate or --serial",
        "revoke",
        run("pki", "revoke", "--ca", ca.toString()));
    assertUsage(
        "--reason: a revocation's reason must be key_compromise, superseded or"
            + " cessation_of_operation, got 'lost'",
        "revoke",
        run("pki", "revoke", "--ca", ca.toString(), "--serial", "1f", "--reason", "lost"));
    assertUsage(
        "--serial: a revoked serial must be 1 to 40 lower-case hex digits without leading zeros,"
            + " got 'xyz'",
        "revoke",
        run("pki", "revoke", "--ca", ca.toString(), "--serial", "xyz"));
  }

  @Test
  void shareSetsOnePairOfTheBilateralTermsAndRevokeKeepsThem() throws Exception {
    assertEquals(0, init().status);
    assertEquals(0, issue("DE", "de-node", "de").status);
    assertEquals(0, issue("FR", "fr-node", "fr").status);

    Run share =
        run(
            "pki",
            "share",
            "--ca",
            ca.toString(),
            "--origin",
            "DE",
            "--destination",
            "FR",
            "--scopes",
            "federate");

    assertEquals(0, share.status, share.err);
    assertTrue(share.out.contains("DE may send FR: [federate]"), share.out);
    org.fedtrace.pki.SharingTerms terms =
        Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt"))).terms().sharing();
    var fed = org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_FEDERATE;
    var trav = org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_TRAVELLER;
    assertTrue(terms.allows("DE", "FR", fed));
    assertFalse(terms.allows("DE", "FR", trav));
    assertTrue(terms.allows("FR", "DE", trav), "the other pairs keep both scopes");
    Path tls = tmp.resolve("de").resolve("tls.crt");
    assertEquals(
        0, run("pki", "revoke", "--ca", ca.toString(), "--certificate", tls.toString()).status);
    assertEquals(
        terms, Agreement.load(ca, Pem.readCertificate(ca.resolve("ca.crt"))).terms().sharing());
    assertUsage(
        "--scopes: 'domestic' is not federate, traveller or none",
        "share",
        run(
            "pki",
            "share",
            "--ca",
            ca.toString(),
            "--origin",
            "DE",
            "--destination",
            "FR",
            "--scopes",
            "domestic"));
    Run notMember =
        run(
            "pki",
            "share",
            "--ca",
            ca.toString(),
            "--origin",
            "DE",
            "--destination",
            "NL",
            "--scopes",
            "none");
    assertEquals(1, notMember.status);
    assertTrue(
        notMember.err.contains("NL is not a member country of the agreement"), notMember.err);
  }

  private Run init() {
    ca = tmp.resolve("ca");
    return run(
        "pki",
        "init",
        "--out",
        ca.toString(),
        "--federation",
        "eu-pilot",
        "--sunset",
        SUNSET.toString());
  }

  private Run issue(String country, String operator, String out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "pki",
                "issue",
                "--ca",
                ca.toString(),
                "--country",
                country,
                "--operator",
                operator,
                "--out",
                tmp.resolve(out).toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static void assertUsage(String message, String subcommand, Run run) {
    assertEquals(2, run.status, run.err);
    assertEquals(
        "fedtrace: " + message + " (see 'fedtrace pki " + subcommand + " --help')\n", run.err);
    assertEquals("", run.out);
  }

  private static void assertOwnerOnly(Path key) throws Exception {
    assertEquals("rw-------", permissions(key));
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {}
}
