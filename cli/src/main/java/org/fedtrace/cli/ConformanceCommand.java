package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.fedtrace.conformance.CaseInfo;
import org.fedtrace.conformance.CatalogueRunner;
import org.fedtrace.conformance.RemoteTarget;
import org.fedtrace.conformance.Reports;
import org.fedtrace.conformance.Result;
import org.fedtrace.conformance.Selection;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.SpecRules;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.kit.KitWriter;
import org.fedtrace.conformance.kit.Pem;
import org.fedtrace.crypto.CertificateKeys;
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

/**
 * {@code fedtrace conformance}: runs the conformance catalogue against a node by address, with a
 * test kit; {@code fedtrace conformance kit} makes the kit with the federation authority's files.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    header = "Check a node against the fedtrace spec, one case per rule.",
    description = {
      "Runs the conformance catalogue (spec/conformance.md) against the node at --target, as",
      "the test operators of the kit in --tls. Prints a table (rule, level, result, time),",
      "writes a JUnit XML report, and exits 1 when a case of a MUST rule fails. Cases of",
      "optional features the node does not list, or that need control over the node's clock,",
      "are skipped. Make the kit first with 'fedtrace conformance kit'."
    },
    subcommands = {ConformanceCommand.KitCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:no case of a MUST rule failed",
      "1:a case of a MUST rule failed, or the kit or node is unusable",
      "2:bad option value"
    })
public final class ConformanceCommand implements Callable<Integer> {
  /** gRPC's own logger: its INFO lines about streams the suite cancels are noise in a report. */
  private static final java.util.logging.Logger GRPC_LOG =
      java.util.logging.Logger.getLogger("io.grpc");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "The node's gRPC listener.")
  String target;

  @Option(
      names = "--tls",
      paramLabel = "DIR",
      description = "The test kit made by 'fedtrace conformance kit' for this node.")
  Path kit;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      defaultValue = "conformance-report",
      description = "Folder for the JUnit XML report (default: ${DEFAULT-VALUE}).")
  Path report;

  @Option(
      names = "--only",
      paramLabel = "RULE",
      split = ",",
      description =
          "Run only these: rule ids (R8.19), sections (R8) or case names; comma-separated.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--rate-limit",
      paramLabel = "RPS",
      description =
          "The per-identity rate limit (requests per second) the node is configured to enforce;"
              + " without it the rate-limit cases are skipped.")
  Double rateLimit;

  @Option(
      names = "--public-port",
      paramLabel = "PORT",
      description =
          "The port of the node's public transparency endpoint (node.yaml public.port) on the"
              + " target's host; without it the public-endpoint cases (R16) are skipped.")
  Integer publicPort;

  @Override
  public Integer call() {
    if (target == null || kit == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--target and --tls are required (or use 'conformance kit')");
    }
    Predicate<CaseInfo> filter;
    RemoteTarget node;
    try {
      filter = Selection.of(only);
      node =
          RemoteTarget.of(
              target, loadKit(), Optional.ofNullable(rateLimit), Optional.ofNullable(publicPort));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    PrintWriter out = spec.commandLine().getOut();
    Instant started = Instant.now();
    List<Result> results;
    try (Session session = new Session(node)) {
      reach(session);
      out.printf("fedtrace conformance: %s, kit %s%n", node.address(), kit);
      Reports.header(out);
      results = new CatalogueRunner().run(session, filter, r -> Reports.row(out, r));
    }
    Reports.summary(out, results, Duration.between(started, Instant.now()));
    try {
      Path file = Reports.writeJunit(report, node.address(), results, started);
      out.printf("JUnit report: %s%n", file);
    } catch (IOException e) {
      throw new UserError("cannot write the report into " + report + ": " + e.getMessage());
    }
    out.flush();
    boolean mustFailed =
        results.stream()
            .anyMatch(
                r -> r.outcome() == Result.Outcome.FAILED && r.level() == SpecRules.Level.MUST);
    return mustFailed ? 1 : 0;
  }

  private Kit loadKit() {
    try {
      return Kit.load(kit);
    } catch (IOException e) {
      throw new UserError("cannot use the test kit: " + e.getMessage());
    }
  }

  private void reach(Session session) {
    try {
      session.info();
    } catch (AssertionError e) {
      throw new UserError(
          "the node at "
              + target
              + " does not answer GetNodeInfo to the kit's member "
              + session.kit().memberA().identity()
              + " ("
              + e.getMessage()
              + "); is it running with the kit's agreement?");
    }
  }

  /** {@code fedtrace conformance kit}: test operators for a node, admitted to the agreement. */
  @Command(
      name = "kit",
      mixinStandardHelpOptions = true,
      header = "Make a conformance test kit and admit its operators to the agreement.",
      description = {
        "Creates --out with test operators' credentials issued by the federation authority in",
        "--ca: two members (member-a, member-b: countries --countries, operators conformance-a",
        "and conformance-b), a non-member of member A's country, deliberately bad certificates",
        "(expired, foreign authority, no identity, TLS without clientAuth) and, with --node, the",
        "node's backend (its identity, for uploads) and a health authority. Adds the members and",
        "the health authority to the agreement in --ca (new version, signed again) and copies it",
        "into --out. Install that agreement.json and agreement.json.sig on the node under test",
        "(and its peers) and restart it; then run 'fedtrace conformance --tls DIR'."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:kit written",
        "1:unusable authority directory, existing output folder, or a country taken",
        "2:bad option value"
      })
  static final class KitCommand implements Runnable {
    /** The name the kit's health authority has in the agreement (replaced on every kit). */
    static final String HEALTH_AUTHORITY = "Conformance test health authority";

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
        names = "--countries",
        paramLabel = "CC,CC",
        split = ",",
        description =
            "Countries of the two test members, not members yet (default: ${DEFAULT-VALUE}).",
        defaultValue = "AQ,BV")
    List<String> countries;

    @Override
    public void run() {
      Optional<Identity> nodeId = parseNode();
      if (Files.exists(out)) {
        throw new UserError("output folder " + out + " already exists");
      }
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
      try {
        updated.replaceIn(ca);
        updated.writeTo(out);
      } catch (IOException e) {
        throw new UserError("cannot write the agreement: " + PkiCommand.describe(e));
      }
      report(updated, plan);
    }

    private void discard() {
      try {
        PkiFiles.discard(out);
      } catch (IOException e) {
        System.err.println(
            "fedtrace conformance kit: cannot remove " + out + ": " + e.getMessage());
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

    /** The terms with the kit's members (if not members yet) and its health authority. */
    private AgreementTerms admit(AgreementTerms terms, KitWriter.Plan plan) {
      AgreementTerms t = terms;
      for (Identity m : plan.members()) {
        OperatorIdentity id;
        try {
          id = new OperatorIdentity(m.country(), m.operatorId());
          if (!t.isMember(id)) {
            t = t.withMember(id);
          }
        } catch (IllegalArgumentException e) {
          throw new UserError(
              "cannot admit " + m + ": " + e.getMessage() + " (choose --countries)");
        }
      }
      for (java.math.BigInteger serial : plan.revoked()) {
        if (!t.isRevoked(serial)) {
          t =
              t.withRevoked(
                  new RevokedCertificate(serial, RevokedCertificate.Reason.KEY_COMPROMISE));
        }
      }
      if (plan.healthAuthority().isEmpty()) {
        return t;
      }
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
          t.revokedCertificates());
    }

    private void report(Agreement updated, KitWriter.Plan plan) {
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
      stdout.printf(
          "next: copy %s/agreement.json and agreement.json.sig to the node under test,"
              + " restart it, and run: fedtrace conformance --target HOST:PORT --tls %s%n",
          out, out);
      stdout.flush();
    }
  }
}
