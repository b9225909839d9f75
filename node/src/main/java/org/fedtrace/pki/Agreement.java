package org.fedtrace.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.Sha256;

/**
 * A federation agreement whose signature by the federation authority has been verified: the exact
 * bytes of {@code agreement.json}, its detached signature ({@code agreement.json.sig}: base64 of
 * the DER ECDSA signature over those bytes, then a newline), and the terms they state.
 *
 * <p>Instances exist only verified (by {@link #verify}) or freshly signed (by {@link
 * FederationAuthority#sign}). Immutable and thread-safe.
 */
public final class Agreement {
  private final AgreementTerms terms;
  private final byte[] json;
  private final byte[] signature;

  Agreement(AgreementTerms terms, byte[] json, byte[] signature) {
    this.terms = terms;
    this.json = json.clone();
    this.signature = signature.clone();
  }

  /**
   * Verifies {@code json} against its signature file and the authority, then reads it.
   *
   * @param json the exact bytes of {@code agreement.json}
   * @param signatureFile the bytes of {@code agreement.json.sig}
   * @param authority the federation authority certificate
   * @throws AgreementException if the signature is malformed or does not verify, the content is
   *     malformed, or it names another federation than the authority's
   */
  public static Agreement verify(byte[] json, byte[] signatureFile, X509Certificate authority)
      throws AgreementException {
    byte[] signature;
    try {
      signature =
          Base64.getDecoder().decode(new String(signatureFile, StandardCharsets.US_ASCII).strip());
    } catch (IllegalArgumentException e) {
      throw new AgreementException("the agreement signature file is not base64", e);
    }
    try {
      CertificateKeyType.ECDSA_P256.verify(authority.getPublicKey(), json, signature);
    } catch (SignatureException e) {
      throw new AgreementException(
          "the agreement signature does not verify against the federation authority "
              + authority.getSubjectX500Principal(),
          e);
    }
    AgreementTerms terms = AgreementTerms.fromJson(json);
    String federation;
    try {
      federation = CertificateProfile.federationName(authority);
    } catch (IllegalArgumentException e) {
      throw new AgreementException(e.getMessage(), e);
    }
    if (!terms.federation().equals(federation)) {
      throw new AgreementException(
          "the agreement is for federation '"
              + terms.federation()
              + "' but the authority is for '"
              + federation
              + "'");
    }
    return new Agreement(terms, json, signature);
  }

  /**
   * Reads and verifies {@value PkiFiles#AGREEMENT} and {@value PkiFiles#AGREEMENT_SIGNATURE} in
   * {@code dir}.
   *
   * @throws IOException if a file cannot be read
   * @throws AgreementException if the agreement does not verify or is malformed; the message starts
   *     with the file's path
   */
  public static Agreement load(Path dir, X509Certificate authority)
      throws IOException, AgreementException {
    Path file = dir.resolve(PkiFiles.AGREEMENT);
    byte[] json = Files.readAllBytes(file);
    byte[] signatureFile = Files.readAllBytes(dir.resolve(PkiFiles.AGREEMENT_SIGNATURE));
    try {
      return verify(json, signatureFile, authority);
    } catch (AgreementException e) {
      throw new AgreementException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates {@value PkiFiles#AGREEMENT} and {@value PkiFiles#AGREEMENT_SIGNATURE} in {@code dir}.
   *
   * @throws java.nio.file.FileAlreadyExistsException if one of them exists
   */
  public void writeTo(Path dir) throws IOException {
    Files.write(dir.resolve(PkiFiles.AGREEMENT), json, StandardOpenOption.CREATE_NEW);
    Files.write(
        dir.resolve(PkiFiles.AGREEMENT_SIGNATURE), signatureFile(), StandardOpenOption.CREATE_NEW);
  }

  /**
   * Replaces the agreement files in {@code dir}, each by an atomic rename. A reader between the two
   * renames sees the new agreement with the old signature, which fails verification; it should read
   * again.
   */
  public void replaceIn(Path dir) throws IOException {
    replace(dir.resolve(PkiFiles.AGREEMENT), json);
    replace(dir.resolve(PkiFiles.AGREEMENT_SIGNATURE), signatureFile());
  }

  /** The verified terms. */
  public AgreementTerms terms() {
    return terms;
  }

  /** The federation's name. */
  public String federation() {
    return terms.federation();
  }

  /** The agreement's version. */
  public long version() {
    return terms.version();
  }

  /** Days a diagnosis key is kept. */
  public int retentionDays() {
    return terms.retentionDays();
  }

  /** The last day of exchange (UTC). */
  public LocalDate sunsetDate() {
    return terms.sunsetDate();
  }

  /** The first instant past the sunset: midnight UTC at the end of the sunset date. */
  public Instant exchangeEnd() {
    return terms.sunsetDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Whether exchange has ended at {@code now}. */
  public boolean isPastSunset(Instant now) {
    return !now.isBefore(exchangeEnd());
  }

  /** The member operators. */
  public List<OperatorIdentity> members() {
    return terms.members();
  }

  /** The health authorities. */
  public List<HealthAuthority> healthAuthorities() {
    return terms.healthAuthorities();
  }

  /** Whether {@code operator} is a member. */
  public boolean isMember(OperatorIdentity operator) {
    return terms.isMember(operator);
  }

  /** The certificates this version revokes (spec §2.6). */
  public List<RevokedCertificate> revokedCertificates() {
    return terms.revokedCertificates();
  }

  /** SHA-256 of the exact bytes of {@code agreement.json}: names this version unambiguously. */
  public byte[] sha256() {
    return Sha256.hash(json);
  }

  /** The exact bytes of {@code agreement.json}. */
  public byte[] json() {
    return json.clone();
  }

  /** The DER signature of the authority over {@link #json}. */
  public byte[] signature() {
    return signature.clone();
  }

  private byte[] signatureFile() {
    return (Base64.getEncoder().encodeToString(signature) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void replace(Path file, byte[] content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public String toString() {
    return "Agreement[" + terms.federation() + " v" + terms.version() + "]";
  }
}
