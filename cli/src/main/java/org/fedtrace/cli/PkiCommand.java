package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.PkiFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fedtrace pki}: the federation authority's certificates and agreement. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Create the federation authority, issue operator certificates, revoke them.",
    subcommands = {
      PkiInitCommand.class,
      PkiIssueCommand.class,
      PkiRevokeCommand.class,
      PkiShareCommand.class
    },
    footerHeading = "%nFiles:%n",
    footer = {
      "Authority directory (pki init; keep it offline):",
      "  ca.crt              self-signed authority certificate: the trust anchor",
      "  ca.key              its ECDSA P-256 private key (PKCS#8 PEM, rw-------)",
      "  agreement.json      federation agreement: members, retention, sunset",
      "  agreement.json.sig  base64 DER ECDSA signature over agreement.json",
      "Operator directory (pki issue; install it on the operator's node):",
      "  tls.crt, tls.key    TLS certificate (serverAuth, clientAuth), P-256 key",
      "  signing.crt         batch-signing certificate (batch signing only)",
      "  signing.key         its Ed25519 private key (PKCS#8 PEM, rw-------)",
      "  ca.crt, agreement.json, agreement.json.sig: copies from the authority",
      "Directories are created rwx------ and appear complete or not at all."
    })
public final class PkiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /**
   * The federation authority in {@code ca}.
   *
   * @throws UserError if {@code ca} is missing, is not an authority directory, or cannot be read
   */
  static FederationAuthority loadAuthority(Path ca) {
    if (!Files.isDirectory(ca)) {
      throw new UserError("CA directory " + ca + " does not exist");
    }
    try {
      return FederationAuthority.load(ca, new SecureRandom());
    } catch (NoSuchFileException e) {
      throw notAuthority(ca, e);
    } catch (IOException e) {
      throw new UserError("cannot use CA directory " + ca + ": " + describe(e));
    }
  }

  /**
   * The agreement in {@code ca}, verified under {@code authority}.
   *
   * @throws UserError if it is missing, unreadable or does not verify
   */
  static Agreement loadAgreement(Path ca, FederationAuthority authority) {
    try {
      return Agreement.load(ca, authority.certificate());
    } catch (NoSuchFileException e) {
      throw notAuthority(ca, e);
    } catch (IOException e) {
      throw new UserError("cannot use CA directory " + ca + ": " + describe(e));
    } catch (AgreementException e) {
      throw new UserError(e.getMessage());
    }
  }

  private static UserError notAuthority(Path ca, NoSuchFileException e) {
    return new UserError(
        ca
            + " is not a federation authority directory: "
            + Path.of(e.getFile()).getFileName()
            + " is missing");
  }

  /**
   * Creates an owner-only staging directory for {@code out}.
   *
   * @throws UserError if {@code out} exists or cannot be created
   */
  static Path stage(Path out) {
    if (Files.exists(out)) {
      throw new UserError("output folder " + out + " already exists");
    }
    try {
      return PkiFiles.stage(out);
    } catch (FileAlreadyExistsException e) {
      throw new UserError("output folder " + out + " already exists");
    } catch (IOException e) {
      throw new UserError("cannot create " + out + ": " + describe(e));
    }
  }

  /** Moves a staged directory to {@code out}, or deletes it if that fails. */
  static void publish(Path staged, Path out, PrintWriter err) {
    try {
      PkiFiles.publish(staged, out);
    } catch (IOException e) {
      discard(staged, err);
      throw new UserError("cannot create " + out + ": " + describe(e));
    }
  }

  /** Deletes a staged directory after a failure; a failure to delete is reported, not thrown. */
  static void discard(Path staged, PrintWriter err) {
    try {
      PkiFiles.discard(staged);
    } catch (IOException e) {
      err.println("fedtrace: could not remove " + staged + ": " + describe(e));
    }
  }

  /** A short description of an I/O failure for a one-line message. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException denied) {
      return denied.getFile() + ": permission denied";
    }
    if (e instanceof NoSuchFileException missing) {
      return missing.getFile() + ": no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getFile() + ": already exists";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
