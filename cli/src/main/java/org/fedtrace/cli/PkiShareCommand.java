package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.BatchScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace pki share}: set one pair of the agreement's bilateral terms. */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    header = "Set which batches one member may send another (the agreement's bilateral terms).",
    description = {
      "Sets the scopes that batches of --origin may have when they go to --destination, in",
      "the agreement's 'sharing' matrix (spec §25.3): federate (keys of people who consented",
      "to federation and did not travel), traveller (keys of people who travelled), both, or",
      "none. An agreement without 'sharing' lets every member send both scopes to every",
      "other; the first use of this command lists that as a matrix and then changes the one",
      "pair. Nodes refuse batches outside the matrix (R25.9), never send them (R25.10) and",
      "refuse GetBatch for them (R25.11).",
      "",
      "Writes version + 1, signed again. Then copy agreement.json and agreement.json.sig to",
      "every member's node and restart it; peers see the new agreement by its hash (R7.3).",
      "See 'fedtrace pki --help'."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:terms changed",
      "1:unusable authority directory, or a country that is not a member",
      "2:bad option value"
    })
final class PkiShareCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "Federation authority directory made by 'fedtrace pki init'.")
  Path ca;

  @Option(
      names = "--origin",
      required = true,
      paramLabel = "CC",
      description = "The member country whose batches the pair is about.")
  String origin;

  @Option(
      names = "--destination",
      required = true,
      paramLabel = "CC",
      description = "The member country that receives them.")
  String destination;

  @Option(
      names = "--scopes",
      required = true,
      split = ",",
      paramLabel = "SCOPE",
      description = "federate, traveller, both as 'federate,traveller', or none.")
  List<String> scopes;

  @Override
  public void run() {
    Set<BatchScope> granted = parseScopes();
    FederationAuthority authority = PkiCommand.loadAuthority(ca);
    Agreement agreement = PkiCommand.loadAgreement(ca, authority);
    AgreementTerms terms = agreement.terms();
    for (String c : List.of(origin, destination)) {
      if (terms.members().stream().map(OperatorIdentity::country).noneMatch(c::equals)) {
        throw new UserError(c + " is not a member country of the agreement");
      }
    }
    if (origin.equals(destination)) {
      throw usage("--origin and --destination must differ");
    }
    SharingTerms current =
        terms.sharing().listed()
            ? terms.sharing()
            : SharingTerms.allToAll(
                terms.members().stream().map(OperatorIdentity::country).toList());
    Agreement updated =
        authority.sign(terms.withSharing(current.with(origin, destination, granted)));
    try {
      updated.replaceIn(ca);
    } catch (IOException e) {
      throw new UserError("cannot write the agreement: " + PkiCommand.describe(e));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s may send %s: %s%n", origin, destination, granted.isEmpty() ? "nothing" : scopes);
    out.printf(
        "agreement %s is now version %d; copy agreement.json and agreement.json.sig from %s to"
            + " every member's node and restart it%n",
        updated.federation(), updated.version(), ca);
  }

  private Set<BatchScope> parseScopes() {
    if (scopes.equals(List.of("none"))) {
      return Set.of();
    }
    Set<BatchScope> out = new LinkedHashSet<>();
    for (String s : scopes) {
      switch (s) {
        case "federate" -> out.add(BatchScope.BATCH_SCOPE_FEDERATE);
        case "traveller" -> out.add(BatchScope.BATCH_SCOPE_TRAVELLER);
        default -> throw usage("--scopes: '" + s + "' is not federate, traveller or none");
      }
    }
    return out;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
