package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.kit.KitWriter;
import org.fedtrace.conformance.kit.Pem;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.node.config.Export;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.NodeConfigWriter;
import org.fedtrace.node.config.PublicSite;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.pki.RevokedCertificate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace conformance kit}: test operators for a node, admitted to the agreement. */
@Command(
    name = "kit",
    mixinStandardHelpOptions = true,
    header = "Make a conformance test kit and admit its operators to the agreement.",
    description = {
      "Creates --out with test operators' credentials issued by the federation authority in",
      "--ca: two members (member-a, member-b: the first two --countries, operators",
      "conformance-a and conformance-b), two regional members of the third country (member-c,",
      "member-d: conformance-c and conformance-d, origins CC-conformance-c and",
      "CC-conformance-d, spec section 26.2), a non-member of member A's country, deliberately",
      "bad certificates",
      "(expired, foreign authority, no identity, TLS without clientAuth), an auditor",
      "certificate (auditor: conformance-auditor of member A's country, not a member, which may",
      "read only the transparency log) and, with --node, the node's backend (its identity, for",
      "uploads) and a health authority. Adds the members and",
      "the health authority to the agreement in --ca (new version, signed again) and copies it",
      "into --out. Install that agreement.json and agreement.json.sig on the node under test",
      "(and its peers) and restart it; then run 'fedtrace conformance --tls DIR'.",
      "With --node, the kit also holds regional/agreement.json: the agreement one version",
      "later with a second member of the node's country (regional/sibling:",
      "conformance-sibling), for the regional pass (spec/conformance.md section 6.4); it",
      "changes the node's origin to CC-operator-id, so install it on a test node only.",
      "The kit also holds past-sunset/agreement.json: the agreement (without the sibling)",
      "one version after the regional one, ended two days ago, for the last pass of a run",
      "(spec/conformance.md section 6.3).",
      "With --node-config, writes node-under-test.yaml: that node configuration with the",
      "settings under which every case can run (own batches after 1 s, operator matching,",
      "an export key id 999 if it has none, for 'fedtrace export', and the public endpoint",
      "on the port after the listener's if it is off)."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:kit written",
      "1:unusable authority directory, existing output folder, or a country taken",
      "2:bad option value"
    })
final class ConformanceKitCommand implements Runnable {
  /** The name the kit's health authority has in the agreement (replaced on every kit). */
  static final String HEALTH_AUTHORITY = "Conformance test health authority";

  /** The export key id of the node under test when its configuration names none. */
  static final String TEST_EXPORT_KEY_ID = "999";

  /** The node configuration the kit writes with {@code --node-config}. */
  static final String NODE_UNDER_TEST = "node-under-test.yaml";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "Federation authority directory made by 'fedtrace pki init'.")
  Path ca;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to create for the kit; must not exist.")
  Path out;

  @Option(
      names = "--node",
      paramLabel = "CC/OPERATOR",
      description =
          "The node under test's identity, e.g. DE/op-de: adds its backend credential and a"
              + " health authority for its country, for the upload cases.")
  String node;

  @Option(
      names = "--node-config",
      paramLabel = "FILE",
      description =
          "The node under test's configuration (node.yaml): writes it to"
              + " node-under-test.yaml in --out with the settings the suite needs.")
  Path nodeConfig;

  @Option(
      names = "--countries",
      paramLabel = "CC,CC[,CC]",
      split = ",",
      description =
          "Countries of the two test members and, optionally, of the two regional members;"
              + " none a member country yet (default: ${DEFAULT-VALUE}). Two countries leave the"
              + " regional members and their cases out.",
      defaultValue = "AQ,BV,HM")
  List<String> countries;

  @Override
  public void run() {
    Optional<Identity> nodeId = parseNode();
    if (Files.exists(out)) {
      throw new UserError("output folder " + out + " already exists");
    }
    Optional<NodeConfig> testConfig = testConfig();
    FederationAuthority authority;
    Agreement agreement;
    PrivateKey caKey;
    try {
      authority = FederationAuthority.load(ca, new SecureRandom());
      agreement = Agreement.load(ca, authority.certificate());
      caKey = Pem.readPrivateKey(ca.resolve(PkiFiles.CA_KEY));
    } catch (NoSuchFileException e) {
      throw new UserError(ca + " is not a federation authority directory: " + e.getFile());
    } catch (IOException | AgreementException e) {
      throw new UserError("cannot use CA directory " + ca + ": " + e.getMessage());
    }
    if (agreement.isPastSunset(Instant.now())) {
      throw new UserError("the agreement's sunset date " + agreement.sunsetDate() + " passed");
    }
    nodeId.ifPresent(n -> requireMember(agreement, n));
    KitWriter.Plan plan;
    try {
      X509Certificate caCert = authority.certificate();
      plan = new KitWriter(caCert, caKey, Instant.now()).write(out, nodeId, countries);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      throw new UserError("cannot write " + out + ": " + PkiCommand.describe(e));
    }
    Agreement updated;
    try {
      updated = authority.sign(admit(agreement.terms(), plan));
    } catch (RuntimeException e) {
      // the kit is useless without its members in the agreement: leave no half-made folder
      // in the way of the retry the message suggests
      discard();
      throw e;
    }
    Optional<Agreement> regional =
        plan.sibling().map(sib -> authority.sign(withSibling(updated, sib)));
    long endedVersion = regional.map(Agreement::version).orElse(updated.version()) + 1;
    Agreement ended = authority.sign(pastSunset(updated.terms(), endedVersion));
    try {
      updated.replaceIn(ca);
      updated.writeTo(out);
      if (regional.isPresent()) {
        regional.get().writeTo(out.resolve(Kit.REGIONAL));
      }
      ended.writeTo(Files.createDirectory(out.resolve(Kit.PAST_SUNSET)));
      if (testConfig.isPresent()) {
        NodeConfigWriter.write(testConfig.get(), out.resolve(NODE_UNDER_TEST));
      }
    } catch (IOException e) {
      throw new UserError("cannot write the agreement: " + PkiCommand.describe(e));
    }
    report(updated, plan, ended.version());
  }

  /**
   * The regional agreement (spec/conformance.md §6.4): {@code updated} one version later with the
   * node's sibling as a member. It is not written into --ca: the federation keeps running the kit's
   * agreement, and only the node under test runs this one, for one pass.
   */
  private static AgreementTerms withSibling(Agreement updated, Identity sibling) {
    return updated
        .terms()
        .withMember(new OperatorIdentity(sibling.country(), sibling.operatorId()));
  }

  /**
   * {@code --node-config} with the settings under which every case a remote runner can run runs:
   * own batches closed after 1 s (the suite waits 15 s for one), and operator-assisted matching
   * (the cases of R15). Everything else stays as the operator configured it.
   */
  private Optional<NodeConfig> testConfig() {
    if (nodeConfig == null) {
      return Optional.empty();
    }
    try {
      NodeConfig c = NodeConfig.load(nodeConfig);
      NodeConfig.Batching b = c.batching();
      NodeConfig.Matching m = c.matching();
      Export e = c.export();
      PublicSite web = c.publicSite();
      return Optional.of(
          c.toBuilder()
              // the public endpoint's cases (R16) need it on: the next port where it is off
              .publicSite(
                  web.enabled()
                      ? web
                      : new PublicSite(
                          web.host(),
                          c.listen().port() + 1,
                          web.requestsPerSecondPerClient(),
                          web.certificate(),
                          web.key()))
              // 'fedtrace export' needs a key id; a test one where the operator set none
              .export(
                  e.keyId().isEmpty()
                      ? new Export(
                          e.directory(),
                          e.signingKey(),
                          TEST_EXPORT_KEY_ID,
                          e.keyVersion(),
                          e.policy())
                      : e)
              .batching(
                  new NodeConfig.Batching(
                      b.maxKeys(),
                      1,
                      b.minUploads(),
                      b.maxHoldSeconds(),
                      b.minKeys(),
                      b.decoyUploads()))
              .matching(
                  new NodeConfig.Matching(
                      NodeConfig.MatchingMode.OPERATOR,
                      m.notifyThreshold(),
                      m.maxObservationsPerDevice(),
                      m.threads()))
              .build());
    } catch (InvalidConfigException e) {
      throw new UserError("--node-config " + nodeConfig + ": " + e.getMessage());
    }
  }

  /**
   * {@code terms} as version {@code version} (after the regional agreement's, so that one node can
   * run the three in turn, R2.5), ended: its sunset date two days before today (UTC).
   */
  private static AgreementTerms pastSunset(AgreementTerms t, long version) {
    return new AgreementTerms(
        t.federation(),
        version,
        t.retentionDays(),
        LocalDate.now(ZoneOffset.UTC).minusDays(2),
        t.members(),
        t.healthAuthorities(),
        new AgreementTerms.Extras(t.revokedCertificates(), t.sharing()));
  }

  /**
   * {@code t} with the kit's sharing terms (spec §25.3): member B sends the node, and the node
   * sends member A, FEDERATE batches only, so that the cases of R25.9–R25.11 see refusals; every
   * other pair among them keeps both scopes, and pairs of other members are as they were.
   */
  private AgreementTerms withKitSharing(AgreementTerms t, KitWriter.Plan plan) {
    String node = plan.healthAuthority().orElseThrow().country(); // the node's country
    String a = plan.members().get(0).country();
    String b = plan.members().get(1).country();
    // every kit country, the regional members' too, so that a listed matrix admits them
    List<String> countries = new ArrayList<>(List.of(node));
    plan.members().stream().map(Identity::country).distinct().forEach(countries::add);
    return t.withSharing(
        org.fedtrace.pki.SharingTerms.withFederateOnly(
            t, countries, org.fedtrace.conformance.KitSharing.restrictedPairs(node, a, b)));
  }

  private void discard() {
    try {
      PkiFiles.discard(out);
    } catch (IOException e) {
      System.err.println("fedtrace conformance kit: cannot remove " + out + ": " + e.getMessage());
    }
  }

  private Optional<Identity> parseNode() {
    if (node == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Identity.parse(node));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--node " + e.getMessage());
    }
  }

  private static void requireMember(Agreement agreement, Identity n) {
    if (!agreement.isMember(new OperatorIdentity(n.country(), n.operatorId()))) {
      throw new UserError(n + " is not a member of the agreement; issue it first (pki issue)");
    }
  }

  /**
   * A test member never joins a country that has a member other than the kit's own: a second member
   * would change the origin of the first (spec §26.2) and break its exchange. The kit's regional
   * members C and D share their country on purpose.
   */
  private static void requireCountryFree(
      AgreementTerms terms, OperatorIdentity id, KitWriter.Plan plan) {
    for (OperatorIdentity member : terms.members()) {
      boolean ofKit = plan.members().contains(new Identity(member.country(), member.operatorId()));
      if (member.country().equals(id.country()) && !ofKit) {
        throw new IllegalArgumentException(
            id.country()
                + " has a member already ("
                + member
                + "), whose origin a test member would change");
      }
    }
  }

  /** The terms with the kit's members (if not members yet) and its health authority. */
  private AgreementTerms admit(AgreementTerms terms, KitWriter.Plan plan) {
    AgreementTerms t = terms;
    for (Identity m : plan.members()) {
      OperatorIdentity id;
      try {
        id = new OperatorIdentity(m.country(), m.operatorId());
        if (!t.isMember(id)) {
          requireCountryFree(t, id, plan);
          t = t.withMember(id);
        }
      } catch (IllegalArgumentException e) {
        throw new UserError("cannot admit " + m + ": " + e.getMessage() + " (choose --countries)");
      }
    }
    for (java.math.BigInteger serial : plan.revoked()) {
      if (!t.isRevoked(serial)) {
        t = t.withRevoked(new RevokedCertificate(serial, RevokedCertificate.Reason.KEY_COMPROMISE));
      }
    }
    if (plan.healthAuthority().isEmpty()) {
      return t;
    }
    t = withKitSharing(t, plan);
    KitWriter.HealthAuthorityKey key = plan.healthAuthority().get();
    List<HealthAuthority> authorities = new ArrayList<>();
    for (HealthAuthority h : t.healthAuthorities()) {
      if (!h.name().equals(HEALTH_AUTHORITY)) {
        authorities.add(h);
      }
    }
    authorities.add(
        new HealthAuthority(
            key.country(), HEALTH_AUTHORITY, CertificateKeys.verifyingKeyFromSpki(key.spki())));
    return new AgreementTerms(
        t.federation(),
        t.version() + 1,
        t.retentionDays(),
        t.sunsetDate(),
        t.members(),
        authorities,
        new AgreementTerms.Extras(t.revokedCertificates(), t.sharing()));
  }

  private void report(Agreement updated, KitWriter.Plan plan, long endedVersion) {
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("wrote the conformance kit %s%n", out);
    stdout.printf(
        "  members %s admitted; agreement version %d written to %s and %s%n",
        plan.members(), updated.version(), ca, out);
    if (plan.healthAuthority().isPresent()) {
      stdout.printf(
          "  health authority for %s, key id %s%n",
          plan.healthAuthority().get().country(), plan.healthAuthority().get().keyIdHex());
    } else {
      stdout.printf("  no --node: the upload cases will be skipped%n");
    }
    if (nodeConfig != null) {
      stdout.printf(
          "  %s: %s with batching.maxAgeSeconds 1, matching.mode operator, an"
              + " export.keyId and the public endpoint on; start the node under test with it%n",
          out.resolve(NODE_UNDER_TEST), nodeConfig);
    }
    if (plan.sibling().isPresent()) {
      stdout.printf(
          "  %s: the agreement version %d with %s, a second member of the node's country;"
              + " install it for the regional pass only%n",
          out.resolve(Kit.REGIONAL), updated.version() + 1, plan.sibling().get());
    }
    stdout.printf(
        "  %s: the agreement version %d, ended; install it for the last pass only%n",
        out.resolve(Kit.PAST_SUNSET), endedVersion);
    stdout.printf(
        "next: copy %s/agreement.json and agreement.json.sig to the node under test,"
            + " restart it, and run: fedtrace conformance --target HOST:PORT --tls %s%n",
        out, out);
    stdout.flush();
  }
}
