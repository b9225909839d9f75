package org.fedtrace.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.fedtrace.crypto.CertificateKeyType;

/**
 * A federation PKI for tests: an authority, good operator credentials, and deliberately bad
 * certificates for every way a peer can be wrong.
 *
 * <p>Certificates are valid from an hour before {@link #now} for about a year, unless a method says
 * otherwise. Use {@link OperatorCredentials#signing()} as a TLS credential to test "a signing
 * certificate used for TLS", and {@link OperatorCredentials#tls()} to sign batches to test the
 * reverse. Not thread-safe.
 */
public final class TestPki {
  /** The federation name of every test PKI. */
  public static final String FEDERATION = "test";

  private static final Duration VALIDITY = Duration.ofDays(365);

  private final Instant now;
  private final SecureRandom random = new SecureRandom();
  private final FederationAuthority authority;
  private AgreementTerms terms;

  private TestPki(Instant now, int retentionDays) {
    this.now = now;
    this.authority = newAuthority();
    LocalDate sunset =
        LocalDate.ofInstant(now.plus(VALIDITY).minus(Duration.ofDays(31)), ZoneOffset.UTC);
    this.terms = AgreementTerms.initial(FEDERATION, retentionDays, sunset);
  }

  /** A PKI whose "now" is the current time, with 14 days retention. */
  public static TestPki create() {
    return create(Instant.now(), 14);
  }

  /** A PKI whose certificates are valid around {@code now}. */
  public static TestPki create(Instant now, int retentionDays) {
    return new TestPki(now, retentionDays);
  }

  /** The instant the certificates are valid around. */
  public Instant now() {
    return now;
  }

  /** The federation authority. */
  public FederationAuthority authority() {
    return authority;
  }

  /** The federation authority certificate: the trust anchor. */
  public X509Certificate caCertificate() {
    return authority.certificate();
  }

  /** A validator trusting the authority. */
  public CertificateValidator validator() {
    return authority.validator();
  }

  /** The agreement's current terms (members added by {@link #member}). */
  public AgreementTerms terms() {
    return terms;
  }

  /** The current terms, signed by the authority. */
  public Agreement agreement() {
    return authority.sign(terms);
  }

  /** Replaces the terms (for sunset, retention or health-authority tests). */
  public void setTerms(AgreementTerms terms) {
    this.terms = terms;
  }

  /** Issues good credentials for {@code country}/{@code operatorId} and makes it a member. */
  public OperatorCredentials member(String country, String operatorId) {
    OperatorCredentials credentials = nonMember(country, operatorId);
    terms = terms.withMember(credentials.identity());
    return credentials;
  }

  /** Issues good credentials without making the operator a member of the agreement. */
  public OperatorCredentials nonMember(String country, String operatorId) {
    return authority.issue(
        new OperatorIdentity(country, operatorId), List.of(), notBefore(), notAfter());
  }

  /** A TLS credential with the right name, issued by another authority of the same name. */
  public Credential foreignCaTls(OperatorIdentity identity) {
    return newAuthority().issue(identity, List.of(), notBefore(), notAfter()).tls();
  }

  /** A TLS credential that expired a day before {@link #now}. */
  public Credential expiredTls(OperatorIdentity identity) {
    return tls(identity, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
  }

  /** A TLS credential that becomes valid a day after {@link #now}. */
  public Credential notYetValidTls(OperatorIdentity identity) {
    return tls(identity, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  /** A batch-signing credential that expired a day before {@link #now}. */
  public Credential expiredSigning(OperatorIdentity identity) {
    CertificateTemplate template =
        CertificateTemplate.batchSigning(
            identity, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    return authority.issue(template, CertificateKeyType.ED25519);
  }

  /** A TLS credential with serverAuth only: refused at the client end of a connection. */
  public Credential tlsWithoutClientAuth(OperatorIdentity identity) {
    return tlsWithUsages(identity, KeyPurposeId.id_kp_serverAuth);
  }

  /** A TLS credential with clientAuth only: refused at the server end of a connection. */
  public Credential tlsWithoutServerAuth(OperatorIdentity identity) {
    return tlsWithUsages(identity, KeyPurposeId.id_kp_clientAuth);
  }

  /** A TLS credential whose certificate has no operator identity URI. */
  public Credential tlsWithoutIdentity(OperatorIdentity identity) {
    CertificateTemplate template = tlsTemplate(identity, notBefore(), notAfter());
    template.alternativeNames.removeIf(
        name -> name.getTagNo() == GeneralName.uniformResourceIdentifier);
    return authority.issue(template, CertificateKeyType.ECDSA_P256);
  }

  /**
   * A TLS credential whose identity URI names {@code identity} but whose subject names {@code
   * other}.
   */
  public Credential tlsWithMismatchedSubject(OperatorIdentity identity, OperatorIdentity other) {
    CertificateTemplate template = tlsTemplate(identity, notBefore(), notAfter());
    template.subject = CertificateProfile.operatorSubject(other);
    return authority.issue(template, CertificateKeyType.ECDSA_P256);
  }

  /** A TLS credential that is also a CA certificate (basicConstraints CA:true). */
  public Credential tlsMarkedCa(OperatorIdentity identity) {
    CertificateTemplate template = tlsTemplate(identity, notBefore(), notAfter());
    template.ca = true;
    return authority.issue(template, CertificateKeyType.ECDSA_P256);
  }

  /** A TLS certificate profile carrying an Ed25519 key instead of ECDSA P-256. */
  public Credential tlsWithEd25519Key(OperatorIdentity identity) {
    return authority.issue(
        tlsTemplate(identity, notBefore(), notAfter()), CertificateKeyType.ED25519);
  }

  /** A certificate with a subject name but no extensions fedtrace needs. */
  public Credential tlsWithSubject(X500Name subject) {
    CertificateTemplate template =
        tlsTemplate(new OperatorIdentity("DE", "subject-only"), notBefore(), notAfter());
    template.subject = subject;
    return authority.issue(template, CertificateKeyType.ECDSA_P256);
  }

  /**
   * Writes an operator directory as {@code fedtrace pki issue} does: the four credential files and
   * copies of the authority certificate and the current agreement. {@code dir} must not exist.
   */
  public Path writeOperatorDirectory(Path dir, OperatorCredentials credentials) throws IOException {
    Path staged = PkiFiles.stage(dir);
    credentials.writeTo(staged);
    Pem.writeCertificates(staged.resolve(PkiFiles.CA_CERTIFICATE), caCertificate());
    agreement().writeTo(staged);
    PkiFiles.publish(staged, dir);
    return dir;
  }

  private Credential tls(OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    return authority.issue(
        tlsTemplate(identity, notBefore, notAfter), CertificateKeyType.ECDSA_P256);
  }

  private Credential tlsWithUsages(OperatorIdentity identity, KeyPurposeId... usages) {
    CertificateTemplate template = tlsTemplate(identity, notBefore(), notAfter());
    template.extendedKeyUsages.clear();
    template.extendedKeyUsages.addAll(List.of(usages));
    return authority.issue(template, CertificateKeyType.ECDSA_P256);
  }

  private static CertificateTemplate tlsTemplate(
      OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    return CertificateTemplate.tls(identity, List.of(), notBefore, notAfter);
  }

  private FederationAuthority newAuthority() {
    return FederationAuthority.generate(
        FEDERATION, now.minus(Duration.ofDays(1)), now.plus(VALIDITY), random);
  }

  private Instant notBefore() {
    return now.minus(Duration.ofHours(1));
  }

  private Instant notAfter() {
    return now.plus(VALIDITY).minus(Duration.ofDays(1));
  }
}
