package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.fedtrace.conformance.CaseInfo;
import org.fedtrace.conformance.CatalogueRunner;
import org.fedtrace.conformance.ExportSite;
import org.fedtrace.conformance.RemoteTarget;
import org.fedtrace.conformance.Reports;
import org.fedtrace.conformance.Result;
import org.fedtrace.conformance.Selection;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.SpecRules;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.crypto.CertificateKeys;
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
      "are skipped. Make the kit first with 'fedtrace conformance kit'. Against a node",
      "restarted on the kit's regional/agreement.json, only the regional cases run (a second",
      "member of the node's country, spec/conformance.md section 6.4); against a node",
      "restarted on its past-sunset/agreement.json, only the past-sunset cases run (the last",
      "pass, spec/conformance.md section 6.3)."
    },
    subcommands = {ConformanceKitCommand.class},
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
      names = "--exports",
      paramLabel = "URL|DIR",
      description =
          "Where the node publishes its key export files for phones (spec §24.6): the root of"
              + " the layout, an http(s) URL or a directory; without it the export cases are"
              + " skipped.")
  String exports;

  @Option(
      names = "--export-key",
      paramLabel = "PEM",
      description =
          "The node's export-signing public key (export-signing.key.pub), to verify the export"
              + " files' signatures; without it that case is skipped.")
  Path exportKey;

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
      Optional<ExportSite> site = exportSite();
      node =
          RemoteTarget.of(
              target, loadKit(), Optional.ofNullable(rateLimit), Optional.ofNullable(publicPort));
      if (site.isPresent()) {
        node = node.withExports(site.get());
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    PrintWriter out = spec.commandLine().getOut();
    Instant started = Instant.now();
    List<Result> results;
    boolean secondPassDue;
    boolean regionalPassDue;
    try (Session session = new Session(node)) {
      reach(session);
      out.printf("fedtrace conformance: %s, kit %s%n", node.address(), kit);
      Reports.header(out);
      results = new CatalogueRunner().run(session, filter, r -> Reports.row(out, r));
      secondPassDue =
          session.kit().pastSunsetAgreement().isPresent() && !session.runsPastSunsetAgreement();
      regionalPassDue =
          session.kit().regionalAgreement().isPresent()
              && !session.runsRegionalAgreement()
              && !session.runsPastSunsetAgreement();
    }
    Reports.summary(out, results, Duration.between(started, Instant.now()));
    if (regionalPassDue) {
      out.printf(
          "regional pass (spec/conformance.md 6.4): install %s/agreement.json and"
              + " agreement.json.sig on the node (its origin becomes country-operator), restart it"
              + " and run this command again%n",
          kit.resolve(Kit.REGIONAL));
    }
    if (secondPassDue) {
      out.printf(
          "second pass (spec/conformance.md 6.3): install %s/agreement.json and"
              + " agreement.json.sig on the node (it then stays past its sunset), restart it and"
              + " run this command again%n",
          kit.resolve(Kit.PAST_SUNSET));
    }
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

  private Optional<ExportSite> exportSite() {
    if (exports == null) {
      if (exportKey != null) {
        throw new IllegalArgumentException("--export-key needs --exports");
      }
      return Optional.empty();
    }
    return Optional.of(ExportSite.of(exports, exportKey()));
  }

  private Optional<PublicKey> exportKey() {
    if (exportKey == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          CertificateKeys.ecdsaP256PublicKey(org.fedtrace.pki.Pem.readPublicKeyInfo(exportKey)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("--export-key: " + e.getMessage());
    }
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
}
