package org.fedtrace.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.Sha256;

/**
 * The federation authority: the root CA that issues operator certificates and signs the federation
 * agreement. Its key is ECDSA P-256; its certificate is self-signed, CA with path length 0.
 *
 * <p>Certificates get a random positive 16-byte serial number and, as key identifiers, the leftmost
 * 160 bits of the SHA-256 of the subject public key (RFC 7093, method 1). Thread-safe.
 */
public final class FederationAuthority {
  private static final int SERIAL_BYTES = 16;
  private static final int KEY_IDENTIFIER_BYTES = 20;

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random;
  private final CertificateValidator validator;

  private FederationAuthority(
      X509Certificate certificate,
      PrivateKey key,
      SecureRandom random,
      CertificateValidator validator) {
    this.certificate = certificate;
    this.key = key;
    this.random = random;
    this.validator = validator;
  }

  /**
   * A new authority for {@code federation} with a fresh key.
   *
   * @throws IllegalArgumentException if the federation name is invalid or the validity is empty
   */
  public static FederationAuthority generate(
      String federation, Instant notBefore, Instant notAfter, SecureRandom random) {
    AgreementTerms.requireFederationName(federation);
    KeyPair pair = CertificateKeyType.ECDSA_P256.generate(random);
    CertificateTemplate template = CertificateTemplate.authority(federation, notBefore, notAfter);
    X500Name subject = template.subject;
    X509Certificate certificate =
        build(template, pair.getPublic(), subject, pair.getPublic(), pair.getPrivate(), random);
    try {
      return of(certificate, pair.getPrivate(), random);
    } catch (CertificateException e) {
      throw new IllegalStateException("issued an unusable authority certificate", e);
    }
  }

  /**
   * The authority with {@code certificate} and its private {@code key}.
   *
   * @throws CertificateException if the certificate is not a federation authority certificate or
   *     the key does not belong to it
   */
  public static FederationAuthority of(
      X509Certificate certificate, PrivateKey key, SecureRandom random)
      throws CertificateException {
    CertificateValidator validator = CertificateValidator.trusting(certificate);
    try {
      new Credential(certificate, key).requireMatchingKey();
    } catch (IllegalArgumentException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    return new FederationAuthority(certificate, key, random, validator);
  }

  /**
   * Reads {@value PkiFiles#CA_CERTIFICATE} and {@value PkiFiles#CA_KEY} from {@code dir}.
   *
   * @throws IOException if a file is missing or unreadable, or they are not a federation
   *     authority's certificate and key
   */
  public static FederationAuthority load(Path dir, SecureRandom random) throws IOException {
    Path certificateFile = dir.resolve(PkiFiles.CA_CERTIFICATE);
    X509Certificate certificate = Pem.readCertificate(certificateFile);
    PrivateKey key = Pem.readPrivateKey(dir.resolve(PkiFiles.CA_KEY));
    try {
      return of(certificate, key, random);
    } catch (CertificateException e) {
      throw new IOException(certificateFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@value PkiFiles#CA_CERTIFICATE} and {@value PkiFiles#CA_KEY} (owner-only) into the
   * existing directory {@code dir}.
   *
   * @throws java.nio.file.FileAlreadyExistsException if one of the files exists
   */
  public void writeTo(Path dir) throws IOException {
    Pem.writeCertificates(dir.resolve(PkiFiles.CA_CERTIFICATE), certificate);
    Pem.writePrivateKey(dir.resolve(PkiFiles.CA_KEY), key);
  }

  /** The self-signed authority certificate: the federation's trust anchor. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The federation's name. */
  public String federation() {
    return validator.federation();
  }

  /** A validator trusting this authority. */
  public CertificateValidator validator() {
    return validator;
  }

  /** Signs {@code terms}, producing the agreement file bytes and their signature. */
  public Agreement sign(AgreementTerms terms) {
    if (!terms.federation().equals(federation())) {
      throw new IllegalArgumentException(
          "the terms are for federation '"
              + terms.federation()
              + "', this authority is for '"
              + federation()
              + "'");
    }
    byte[] json = terms.toJson();
    byte[] signature = CertificateKeyType.ECDSA_P256.sign(key, json);
    return new Agreement(terms, json, signature);
  }

  /**
   * Issues an auditor's TLS client credential with a fresh key (spec/transparency.md §15.7): it
   * lets its holder call the TransparencyLog service of every node, and nothing else, without being
   * a member.
   *
   * @throws IllegalArgumentException if the validity outlasts the authority's own certificate
   */
  public Credential issueAuditor(OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      throw new IllegalArgumentException(
          "an auditor certificate cannot outlast the authority certificate, which expires at "
              + certificate.getNotAfter().toInstant());
    }
    return issue(
        CertificateTemplate.auditor(identity, notBefore, notAfter), CertificateKeyType.ECDSA_P256);
  }

  /**
   * Issues an operator's TLS and batch-signing credentials with fresh keys.
   *
   * @param hosts DNS names or IP addresses of the operator's node, besides {@code localhost} and
   *     {@code 127.0.0.1} which every TLS certificate names
   * @throws IllegalArgumentException if a host is invalid, or the validity is empty or outlasts the
   *     authority's own certificate
   */
  public OperatorCredentials issue(
      OperatorIdentity identity, List<String> hosts, Instant notBefore, Instant notAfter) {
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      throw new IllegalArgumentException(
          "an operator certificate cannot outlast the authority certificate, which expires at "
              + certificate.getNotAfter().toInstant());
    }
    CertificateTemplate tls = CertificateTemplate.tls(identity, hosts, notBefore, notAfter);
    CertificateTemplate signing = CertificateTemplate.batchSigning(identity, notBefore, notAfter);
    return new OperatorCredentials(
        identity,
        issue(tls, CertificateKeyType.ECDSA_P256),
        issue(signing, CertificateKeyType.ED25519));
  }

  /** Issues a credential from {@code template} with a fresh key of {@code type}. */
  Credential issue(CertificateTemplate template, CertificateKeyType type) {
    KeyPair pair = type.generate(random);
    return new Credential(issue(template, pair.getPublic()), pair.getPrivate());
  }

  /** Issues a certificate from {@code template} for {@code subjectKey}. */
  X509Certificate issue(CertificateTemplate template, PublicKey subjectKey) {
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    return build(template, subjectKey, issuer, certificate.getPublicKey(), key, random);
  }

  /**
   * Issues an operator's TLS credential with a fresh key, and a batch-signing certificate for a key
   * the authority never sees ({@code signingKey}, kept in an HSM): the returned credentials'
   * signing private key is null, and only the certificate is to be written.
   *
   * @throws IllegalArgumentException as {@link #issue(OperatorIdentity, List, Instant, Instant)}
   *     does, or if {@code signingKey} is not an Ed25519 key
   */
  public OperatorCredentials issueForExternalSigningKey(
      OperatorIdentity identity,
      List<String> hosts,
      Instant notBefore,
      Instant notAfter,
      PublicKey signingKey) {
    if (!signingKey.getAlgorithm().equals("Ed25519")
        && !signingKey.getAlgorithm().equals("EdDSA")) {
      throw new IllegalArgumentException(
          "a batch-signing key is Ed25519, got " + signingKey.getAlgorithm());
    }
    OperatorCredentials fresh = issue(identity, hosts, notBefore, notAfter);
    X509Certificate signing =
        issue(CertificateTemplate.batchSigning(identity, notBefore, notAfter), signingKey);
    return new OperatorCredentials(identity, fresh.tls(), new Credential(signing, null));
  }

  private static X509Certificate build(
      CertificateTemplate template,
      PublicKey subjectKey,
      X500Name issuer,
      PublicKey issuerKey,
      PrivateKey issuerPrivateKey,
      SecureRandom random) {
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer,
            serialNumber(random),
            Date.from(template.notBefore),
            Date.from(template.notAfter),
            template.subject,
            spki);
    try {
      builder.addExtension(
          Extension.basicConstraints,
          true,
          template.ca ? new BasicConstraints(0) : new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(template.keyUsage));
      if (!template.extendedKeyUsages.isEmpty()) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(template.extendedKeyUsages.toArray(KeyPurposeId[]::new)));
      }
      if (!template.alternativeNames.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(template.alternativeNames.toArray(GeneralName[]::new)));
      }
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(spki)));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(
              keyIdentifier(SubjectPublicKeyInfo.getInstance(issuerKey.getEncoded()))));
      byte[] der =
          builder
              .build(CertificateKeyType.of(issuerKey).contentSigner(issuerPrivateKey))
              .getEncoded();
      return CertificateKeys.certificateFromDer(der);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  private static BigInteger serialNumber(SecureRandom random) {
    byte[] bytes = new byte[SERIAL_BYTES];
    random.nextBytes(bytes);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    return new BigInteger(1, bytes);
  }

  private static byte[] keyIdentifier(SubjectPublicKeyInfo spki) {
    byte[] digest = Sha256.hash(spki.getPublicKeyData().getBytes());
    return Arrays.copyOf(digest, KEY_IDENTIFIER_BYTES);
  }

  @Override
  public String toString() {
    return "FederationAuthority[" + certificate.getSubjectX500Principal() + ", key redacted]";
  }
}
