package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.RevokedCertificate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace pki revoke}: revoke certificates before they expire, in the agreement. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    header = "Revoke operator certificates before they expire.",
    description = {
      "Adds the certificates to the agreement's revoked_certificates (spec §2.6) in",
      "the authority directory: version + 1, signed again. Nodes running the new",
      "agreement refuse them as TLS clients and servers and as batch signers, and a",
      "node refuses to start with a revoked certificate of its own.",
      "",
      "Then copy agreement.json and agreement.json.sig to every member's node and",
      "restart it (replicas one at a time); peers see the new agreement by its hash",
      "(R7.3). To replace a member's certificates, issue again (pki issue) first and",
      "revoke the old ones with --reason superseded.",
      "See 'fedtrace pki --help'."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:certificates revoked",
      "1:unusable authority directory, unreadable certificate, a certificate the authority"
          + " did not issue, or one revoked already",
      "2:bad option value"
    })
final class PkiRevokeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "Federation authority directory made by 'fedtrace pki init'.")
  Path ca;

  @Option(
      names = "--certificate",
      paramLabel = "FILE",
      description = "A PEM certificate to revoke (tls.crt or signing.crt); repeatable.")
  List<Path> certificates = new ArrayList<>();

  @Option(
      names = "--serial",
      paramLabel = "HEX",
      description =
          "The serial number of a certificate to revoke, in hex as 'openssl x509 -serial'"
              + " prints it; repeatable.")
  List<String> serials = new ArrayList<>();

  @Option(
      names = "--reason",
      paramLabel = "REASON",
      description =
          "key_compromise, superseded or cessation_of_operation (default: ${DEFAULT-VALUE}).")
  String reason = "key_compromise";

  @Override
  public void run() {
    if (certificates.isEmpty() && serials.isEmpty()) {
      throw usage("name what to revoke with --certificate or --serial");
    }
    RevokedCertificate.Reason why;
    try {
      why = RevokedCertificate.Reason.fromJson(reason);
    } catch (IllegalArgumentException e) {
      throw usage("--reason: " + e.getMessage());
    }
    List<BigInteger> toRevoke = new ArrayList<>();
    for (String s : serials) {
      try {
        toRevoke.add(RevokedCertificate.parseSerial(normalize(s)));
      } catch (IllegalArgumentException e) {
        throw usage("--serial: " + e.getMessage());
      }
    }
    FederationAuthority authority = PkiCommand.loadAuthority(ca);
    for (Path p : certificates) {
      toRevoke.add(issuedBy(authority, p).getSerialNumber());
    }
    Agreement agreement = PkiCommand.loadAgreement(ca, authority);
    AgreementTerms terms = agreement.terms();
    for (BigInteger serial : toRevoke) {
      try {
        terms = terms.withRevoked(new RevokedCertificate(serial, why));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    // one new version for the whole command, however many certificates it revokes
    terms =
        new AgreementTerms(
            terms.federation(),
            agreement.version() + 1,
            terms.retentionDays(),
            terms.sunsetDate(),
            terms.members(),
            terms.healthAuthorities(),
            new AgreementTerms.Extras(terms.revokedCertificates(), terms.sharing()));
    Agreement updated = authority.sign(terms);
    try {
      updated.replaceIn(ca);
    } catch (IOException e) {
      throw new UserError("cannot write the agreement: " + PkiCommand.describe(e));
    }
    PrintWriter out = spec.commandLine().getOut();
    for (BigInteger serial : toRevoke) {
      out.printf("revoked certificate %s (%s)%n", serial.toString(16), why.json());
    }
    out.printf(
        "agreement %s is now version %d; copy agreement.json and agreement.json.sig from %s to"
            + " every member's node and restart it%n",
        updated.federation(), updated.version(), ca);
  }

  /** Accepts openssl's upper case, leading zeros and an optional {@code serial=} prefix. */
  private static String normalize(String serial) {
    String s = serial.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("serial=")) {
      s = s.substring("serial=".length());
    }
    s = s.replace(":", "");
    while (s.length() > 1 && s.startsWith("0")) {
      s = s.substring(1);
    }
    return s;
  }

  private X509Certificate issuedBy(FederationAuthority authority, Path file) {
    X509Certificate c;
    try {
      c = Pem.readCertificate(file);
    } catch (IOException e) {
      throw new UserError("--certificate " + file + ": " + PkiCommand.describe(e));
    }
    try {
      CertificateKeys.verifyIssuedBy(c, authority.certificate().getPublicKey());
    } catch (SignatureException e) {
      throw new UserError(
          "--certificate " + file + ": not issued by the federation authority in " + ca);
    }
    return c;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
