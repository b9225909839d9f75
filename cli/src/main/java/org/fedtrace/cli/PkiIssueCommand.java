package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.crypto.pkcs11.Pkcs11Exception;
import org.fedtrace.crypto.pkcs11.Pkcs11Signer;
import org.fedtrace.crypto.pkcs11.Pkcs11Token;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.CertificateProfile;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace pki issue}: issue an operator's certificates and add it to the agreement. */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    header = "Issue an operator's certificates and add it to the agreement.",
    description = {
      "Creates a new directory with the operator's TLS certificate and key",
      "(tls.crt, tls.key: serverAuth and clientAuth, ECDSA P-256), its separate",
      "batch-signing certificate and key (signing.crt, signing.key: Ed25519),",
      "both bound to the country and operator id, and copies of ca.crt,",
      "agreement.json and agreement.json.sig. Adds the operator to the",
      "agreement in the authority directory (version + 1, signed again);",
      "issuing again for a member renews its certificates only.",
      "",
      "With --token, the batch-signing key is made inside an HSM token (PKCS#11) and",
      "never leaves it: the token's Ed25519 key labelled --signing-key-label (generated",
      "when the token has none) is certified, and no signing.key is written; run the",
      "node with keys.custody: pkcs11 (docs/key-custody.md).",
      "",
      "With --auditor, issues an auditor certificate instead (spec/transparency.md",
      "section 15.7): a TLS client certificate (tls.crt, tls.key) with the fedtrace",
      "auditor purpose, for an auditor who is not a member. Nodes let its holder call",
      "TransparencyLog, GetNodeInfo and health, and refuse everything else with",
      "PERMISSION_DENIED; 'fedtrace audit --tls DIR' accepts the folder. The agreement",
      "is not changed, and --operator must not name a member.",
      "See 'fedtrace pki --help'."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:certificates issued",
      "1:unusable authority directory, existing output directory, past the sunset, or"
          + " another member operator for the country",
      "2:bad option value"
    })
final class PkiIssueCommand implements Runnable {
  private static final int MAX_DAYS = 3650;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "Federation authority directory made by 'fedtrace pki init'.")
  Path ca;

  @Option(
      names = "--country",
      required = true,
      paramLabel = "CC",
      description = "The operator's country: ISO 3166-1 alpha-2 code, upper case (e.g. DE).")
  String country;

  @Option(
      names = "--operator",
      required = true,
      paramLabel = "ID",
      description = "Operator id: 1 to 32 of a-z, 0-9 and '-'.")
  String operator;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to create for the operator; must not exist (parents are created).")
  Path out;

  @Option(
      names = "--dns",
      paramLabel = "NAME",
      description =
          "A host name or IP address of the operator's node for the TLS certificate; repeatable."
              + " localhost and 127.0.0.1 are always included (default: none besides those).")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "N",
      description =
          "Days the certificates are valid, 1..3650, never beyond the authority certificate"
              + " (default: until 30 days after the agreement's sunset date).")
  Integer days;

  @Option(
      names = "--auditor",
      description = "Issue a read-only auditor certificate instead of an operator's (see above).")
  boolean auditor;

  @Option(
      names = "--token",
      paramLabel = "LABEL",
      description =
          "Make the batch-signing key in this PKCS#11 token instead of a file (with --pin-file).")
  String token;

  @Option(
      names = "--pkcs11-library",
      paramLabel = "PATH",
      description = "The HSM vendor's PKCS#11 module (default: ${DEFAULT-VALUE}).")
  Path pkcs11Library = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @Option(
      names = "--pin-file",
      paramLabel = "FILE",
      description = "A file whose first line is the token user's PIN (with --token).")
  Path pinFile;

  @Option(
      names = "--signing-key-label",
      paramLabel = "LABEL",
      description = "The key's label in the token (default: ${DEFAULT-VALUE}).")
  String signingKeyLabel = "signing";

  @Override
  public void run() {
    OperatorIdentity identity = parseIdentity();
    if (token != null && pinFile == null) {
      throw usage("--token needs --pin-file");
    }
    List<String> checkedHosts = parseHosts();
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw usage("--days must be in 1..3650, got " + days);
    }
    if (Files.exists(out)) {
      throw new UserError("output folder " + out + " already exists");
    }
    FederationAuthority authority = PkiCommand.loadAuthority(ca);
    Agreement agreement = PkiCommand.loadAgreement(ca, authority);
    Instant now = Instant.now();
    if (agreement.isPastSunset(now)) {
      throw new UserError(
          "the agreement's sunset date "
              + agreement.sunsetDate()
              + " has passed; nothing to issue");
    }
    if (auditor) {
      issueAuditor(authority, agreement, identity, now);
      return;
    }
    Agreement updated = admit(authority, agreement, identity);
    boolean joined = updated != agreement;
    Instant notBefore = now.minus(Duration.ofHours(1));
    Instant notAfter = notAfter(authority, agreement, now);
    OperatorCredentials credentials =
        token == null
            ? authority.issue(identity, checkedHosts, notBefore, notAfter)
            : authority.issueForExternalSigningKey(
                identity, checkedHosts, notBefore, notAfter, tokenKey());
    write(authority, credentials, updated, joined);
    report(credentials, updated, joined);
  }

  private void issueAuditor(
      FederationAuthority authority, Agreement agreement, OperatorIdentity identity, Instant now) {
    if (token != null || !hosts.isEmpty()) {
      throw usage("--auditor takes neither --token nor --dns");
    }
    if (agreement.isMember(identity)) {
      throw new UserError(
          identity + " is a member of the agreement; an auditor needs an identity of its own");
    }
    Credential tls =
        authority.issueAuditor(
            identity, now.minus(Duration.ofHours(1)), notAfter(authority, agreement, now));
    Path staged = PkiCommand.stage(out);
    try {
      Pem.writeCertificates(staged.resolve(PkiFiles.TLS_CERTIFICATE), tls.certificate());
      Pem.writePrivateKey(staged.resolve(PkiFiles.TLS_KEY), tls.privateKey());
      Pem.writeCertificates(staged.resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
      agreement.writeTo(staged);
    } catch (IOException e) {
      PkiCommand.discard(staged, spec.commandLine().getErr());
      throw new UserError("cannot write " + out + ": " + PkiCommand.describe(e));
    }
    PkiCommand.publish(staged, out, spec.commandLine().getErr());
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        "issued auditor %s into %s: tls.crt/tls.key (TLS client, read-only: TransparencyLog),"
            + " valid until %s%n",
        identity, out, tls.certificate().getNotAfter().toInstant());
    stdout.flush();
  }

  /** The public half of the token's signing key, generated in the token if it has none. */
  private java.security.PublicKey tokenKey() {
    VerifyingKey key;
    try {
      Pkcs11Token t = Pkcs11Token.login(pkcs11Library, token, pinFile);
      try {
        t.generateEd25519(signingKeyLabel);
      } catch (Pkcs11Exception e) {
        if (!e.getMessage().contains("already holds a key labelled")) {
          t.close();
          throw e;
        }
        // a renewal: certify the key the token holds
      }
      try (Pkcs11Signer signer = Pkcs11Signer.open(t, signingKeyLabel)) { // closes the token
        key = signer.verifyingKey();
      }
    } catch (Pkcs11Exception e) {
      throw new UserError("--token: " + e.getMessage());
    }
    try {
      return java.security.KeyFactory.getInstance("Ed25519")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(key.subjectPublicKeyInfo()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot read an Ed25519 public key", e);
    }
  }

  private OperatorIdentity parseIdentity() {
    try {
      return new OperatorIdentity(country, operator);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private List<String> parseHosts() {
    List<String> checked = new ArrayList<>();
    for (String host : hosts) {
      try {
        checked.add(CertificateProfile.requireHost(host));
      } catch (IllegalArgumentException e) {
        throw usage("--dns " + e.getMessage());
      }
    }
    return checked;
  }

  /** The agreement with {@code identity} as a member: {@code agreement} itself if it is one. */
  private static Agreement admit(
      FederationAuthority authority, Agreement agreement, OperatorIdentity identity) {
    if (agreement.isMember(identity)) {
      return agreement;
    }
    try {
      return authority.sign(agreement.terms().withMember(identity));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private Instant notAfter(FederationAuthority authority, Agreement agreement, Instant now) {
    Instant end = CertificateProfile.defaultNotAfter(agreement.sunsetDate());
    if (days != null) {
      end = now.plus(Duration.ofDays(days));
    }
    Instant authorityEnd = authority.certificate().getNotAfter().toInstant();
    return end.isAfter(authorityEnd) ? authorityEnd : end;
  }

  private void write(
      FederationAuthority authority,
      OperatorCredentials credentials,
      Agreement agreement,
      boolean joined) {
    Path staged = PkiCommand.stage(out);
    try {
      credentials.writeTo(staged);
      Pem.writeCertificates(staged.resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
      agreement.writeTo(staged);
      if (joined) {
        agreement.replaceIn(ca);
      }
    } catch (IOException e) {
      PkiCommand.discard(staged, spec.commandLine().getErr());
      throw new UserError("cannot write " + out + ": " + PkiCommand.describe(e));
    }
    PkiCommand.publish(staged, out, spec.commandLine().getErr());
  }

  private void report(OperatorCredentials credentials, Agreement agreement, boolean joined) {
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        "issued %s into %s: tls.crt/tls.key (TLS client and server), %s (batch signing)%n",
        credentials.identity(),
        out,
        token == null
            ? "signing.crt/signing.key"
            : "signing.crt for the key '" + signingKeyLabel + "' in token '" + token + "'");
    stdout.printf(
        "  certificates valid until %s%n",
        credentials.tls().certificate().getNotAfter().toInstant());
    stdout.printf(
        "  agreement version %d, %d member(s)%s%n",
        agreement.version(),
        agreement.members().size(),
        joined ? ", updated in " + ca : "; " + credentials.identity() + " was a member already");
    stdout.flush();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
