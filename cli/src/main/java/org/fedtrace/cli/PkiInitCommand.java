package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.CertificateProfile;
import org.fedtrace.pki.FederationAuthority;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace pki init}: create a federation authority and its first agreement. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    header = "Create a federation authority and its signed agreement.",
    description = {
      "Creates a new directory with an ECDSA P-256 root CA (ca.crt, ca.key;",
      "CN=<federation> Federation Authority, valid until 30 days after the",
      "sunset date) and the federation agreement, version 1 without members",
      "(agreement.json, agreement.json.sig). See 'fedtrace pki --help'."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:authority created",
      "1:the output directory exists or cannot be written",
      "2:bad option value"
    })
final class PkiInitCommand implements Runnable {
  private static final int MAX_SUNSET_YEARS = 10;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to create for the authority; must not exist (parents are created).")
  Path out;

  @Option(
      names = "--federation",
      required = true,
      paramLabel = "NAME",
      description =
          "Federation name: 1 to 64 of A-Z, a-z, 0-9, space, '.', '_' and '-', starting with a"
              + " letter or digit.")
  String federation;

  @Option(
      names = "--sunset",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description =
          "Sunset date: the last day of exchange (UTC), after today and within 10 years. Nodes"
              + " refuse all exchange after it and erase foreign data.")
  String sunset;

  @Option(
      names = "--retention-days",
      paramLabel = "N",
      defaultValue = "14",
      description = "Days nodes keep diagnosis keys, 1..90 (default: ${DEFAULT-VALUE}).")
  int retentionDays;

  @Override
  public void run() {
    try {
      AgreementTerms.requireFederationName(federation);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    LocalDate sunsetDate = parseSunset();
    if (retentionDays < AgreementTerms.MIN_RETENTION_DAYS
        || retentionDays > AgreementTerms.MAX_RETENTION_DAYS) {
      throw usage("--retention-days must be in 1..90, got " + retentionDays);
    }
    AgreementTerms terms = AgreementTerms.initial(federation, retentionDays, sunsetDate);
    Instant now = Instant.now();
    FederationAuthority authority =
        FederationAuthority.generate(
            federation,
            now.minus(Duration.ofHours(1)),
            CertificateProfile.defaultNotAfter(sunsetDate),
            new SecureRandom());
    Agreement agreement = authority.sign(terms);
    write(authority, agreement);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("created the federation authority of '%s' in %s%n", federation, out);
    stdout.printf(
        "  agreement version 1: retention %d days, sunset %s, no members%n",
        retentionDays, sunsetDate);
    stdout.printf(
        "  ca.crt valid until %s; keep ca.key secret%n",
        authority.certificate().getNotAfter().toInstant());
    stdout.flush();
  }

  private void write(FederationAuthority authority, Agreement agreement) {
    Path staged = PkiCommand.stage(out);
    try {
      authority.writeTo(staged);
      agreement.writeTo(staged);
    } catch (IOException e) {
      PkiCommand.discard(staged, spec.commandLine().getErr());
      throw new UserError("cannot write " + out + ": " + PkiCommand.describe(e));
    }
    PkiCommand.publish(staged, out, spec.commandLine().getErr());
  }

  private LocalDate parseSunset() {
    LocalDate date;
    try {
      date = LocalDate.parse(sunset);
    } catch (DateTimeParseException e) {
      throw usage("--sunset must be a date YYYY-MM-DD, got '" + sunset + "'");
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (!date.isAfter(today)) {
      throw usage("--sunset " + date + " is not in the future");
    }
    if (date.isAfter(today.plusYears(MAX_SUNSET_YEARS))) {
      throw usage("--sunset " + date + " is more than " + MAX_SUNSET_YEARS + " years away");
    }
    return date;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
