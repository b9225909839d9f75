package org.fedtrace.pki;

import static org.fedtrace.pki.CertificateRejectedException.Reason.EXPIRED;
import static org.fedtrace.pki.CertificateRejectedException.Reason.MALFORMED;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NOT_YET_VALID;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NO_CERTIFICATE;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NO_IDENTITY;
import static org.fedtrace.pki.CertificateRejectedException.Reason.REVOKED;
import static org.fedtrace.pki.CertificateRejectedException.Reason.UNTRUSTED_ISSUER;
import static org.fedtrace.pki.CertificateRejectedException.Reason.WRONG_PURPOSE;

import java.math.BigInteger;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.VerifyingKey;

/**
 * Decides whether an operator certificate is trusted for a purpose, with the federation authority
 * certificate as the only trust anchor. Immutable and thread-safe.
 *
 * <p>A certificate is accepted when it is signed by the authority, both are valid at the given
 * instant, it is an end-entity certificate whose key usage, extended key usage and key type fit the
 * purpose, and it names exactly one operator identity consistently (the URI subjectAltName equals
 * the subject's C and O). The first failing check decides the {@link
 * CertificateRejectedException.Reason reason} of the rejection; checks run in the spec's order: for
 * TLS (spec §6.4) issuer, validity, identity, purpose; for batch signing (R8.14–R8.17) issuer,
 * identity, purpose, validity.
 */
public final class CertificateValidator {
  private static final Set<String> KNOWN_CRITICAL_EXTENSIONS =
      Set.of(
          Extension.basicConstraints.getId(),
          Extension.keyUsage.getId(),
          Extension.extendedKeyUsage.getId(),
          Extension.subjectAlternativeName.getId());
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;
  private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
  private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String BATCH_SIGNING = CertificateProfile.BATCH_SIGNING_EKU_OID;
  private static final int URI_NAME = GeneralName.uniformResourceIdentifier;

  private final X509Certificate authority;
  private final String federation;
  private final Map<BigInteger, RevokedCertificate> revoked;

  private CertificateValidator(
      X509Certificate authority, String federation, Map<BigInteger, RevokedCertificate> revoked) {
    this.authority = authority;
    this.federation = federation;
    this.revoked = Map.copyOf(revoked);
  }

  /**
   * This validator, refusing besides the certificates {@code agreement} revokes (spec §2.6): for
   * TLS and as batch signers, whatever their validity dates.
   */
  public CertificateValidator revoking(List<RevokedCertificate> revocations) {
    Map<BigInteger, RevokedCertificate> all = new HashMap<>(revoked);
    for (RevokedCertificate r : revocations) {
      all.put(r.serial(), r);
    }
    return new CertificateValidator(authority, federation, all);
  }

  /**
   * A validator that trusts exactly {@code authority}.
   *
   * @throws CertificateException if {@code authority} is not a federation authority certificate:
   *     self-signed with an ECDSA P-256 key, CA with keyCertSign, subject {@code CN=<federation>
   *     Federation Authority}
   */
  public static CertificateValidator trusting(X509Certificate authority)
      throws CertificateException {
    String federation;
    try {
      federation = CertificateProfile.federationName(authority);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    boolean[] keyUsage = authority.getKeyUsage();
    if (authority.getBasicConstraints() < 0
        || keyUsage == null
        || keyUsage.length <= KEY_CERT_SIGN
        || !keyUsage[KEY_CERT_SIGN]) {
      throw new CertificateException(
          "not a CA certificate: " + authority.getSubjectX500Principal());
    }
    if (!CertificateKeyType.ECDSA_P256.matches(authority.getPublicKey())) {
      throw new CertificateException("the federation authority key must be ECDSA P-256");
    }
    try {
      CertificateKeys.verifyIssuedBy(authority, authority.getPublicKey());
    } catch (SignatureException e) {
      throw new CertificateException("the federation authority certificate is not self-signed", e);
    }
    return new CertificateValidator(authority, federation, Map.of());
  }

  /** The trust anchor. */
  public X509Certificate authority() {
    return authority;
  }

  /** The federation's name, from the authority's subject. */
  public String federation() {
    return federation;
  }

  /**
   * Validates a certificate chain as presented in a TLS handshake: the operator's certificate
   * first, optionally followed by the federation authority certificate itself (nothing else).
   *
   * @return the operator identity the certificate names
   * @throws CertificateRejectedException if the chain is not acceptable for {@code purpose} at
   *     {@code at}
   */
  public OperatorIdentity validate(
      List<X509Certificate> chain, CertificatePurpose purpose, Instant at)
      throws CertificateRejectedException {
    if (chain.isEmpty()) {
      throw new CertificateRejectedException(NO_CERTIFICATE, "no certificate was presented");
    }
    for (X509Certificate extra : chain.subList(1, chain.size())) {
      if (!extra.equals(authority)) {
        throw new CertificateRejectedException(
            UNTRUSTED_ISSUER,
            "the chain holds a certificate other than the federation authority's: "
                + extra.getSubjectX500Principal());
      }
    }
    return validate(chain.get(0), purpose, at);
  }

  /**
   * Validates one operator certificate.
   *
   * @return the operator identity the certificate names
   * @throws CertificateRejectedException if {@code certificate} is not acceptable for {@code
   *     purpose} at {@code at}
   */
  public OperatorIdentity validate(
      X509Certificate certificate, CertificatePurpose purpose, Instant at)
      throws CertificateRejectedException {
    checkIssuer(certificate);
    boolean tls = purpose != CertificatePurpose.BATCH_SIGNING;
    if (tls) {
      checkValidity(authority, at, "the federation authority certificate");
      checkValidity(certificate, at, "the certificate");
    }
    OperatorIdentity identity = identity(certificate);
    checkWellFormed(certificate);
    checkPurpose(certificate, purpose);
    if (!tls) {
      checkValidity(authority, at, "the federation authority certificate");
      checkValidity(certificate, at, "the certificate");
    }
    return identity;
  }

  /**
   * Validates the DER certificate that travels with a batch as a batch-signing certificate.
   *
   * @return the signer's identity and Ed25519 key
   * @throws CertificateRejectedException if it is not an acceptable batch-signing certificate at
   *     {@code at}
   */
  public TrustedSigner validateBatchSigner(byte[] der, Instant at)
      throws CertificateRejectedException {
    X509Certificate certificate;
    try {
      certificate = CertificateKeys.certificateFromDer(der);
    } catch (CertificateException e) {
      throw new CertificateRejectedException(MALFORMED, "not a DER X.509 certificate");
    }
    OperatorIdentity identity = validate(certificate, CertificatePurpose.BATCH_SIGNING, at);
    return new TrustedSigner(identity, VerifyingKey.fromPublicKey(certificate.getPublicKey()));
  }

  private void checkIssuer(X509Certificate certificate) throws CertificateRejectedException {
    if (!certificate.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
      throw new CertificateRejectedException(
          UNTRUSTED_ISSUER,
          "issued by "
              + certificate.getIssuerX500Principal()
              + ", not by the federation authority "
              + authority.getSubjectX500Principal());
    }
    try {
      CertificateKeys.verifyIssuedBy(certificate, authority.getPublicKey());
    } catch (SignatureException e) {
      throw new CertificateRejectedException(
          UNTRUSTED_ISSUER,
          "not signed by the federation authority " + authority.getSubjectX500Principal());
    }
    RevokedCertificate r = revoked.get(certificate.getSerialNumber());
    if (r != null) {
      throw new CertificateRejectedException(
          REVOKED,
          "the certificate of serial "
              + r.serialHex()
              + " is revoked by the agreement ("
              + r.reason().json()
              + ")");
    }
  }

  private static void checkValidity(X509Certificate certificate, Instant at, String what)
      throws CertificateRejectedException {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (at.isBefore(notBefore)) {
      throw new CertificateRejectedException(
          NOT_YET_VALID, what + " is not valid before " + notBefore);
    }
    if (at.isAfter(notAfter)) {
      throw new CertificateRejectedException(EXPIRED, what + " expired at " + notAfter);
    }
  }

  private static void checkWellFormed(X509Certificate certificate)
      throws CertificateRejectedException {
    if (certificate.getVersion() != 3) {
      throw new CertificateRejectedException(MALFORMED, "not an X.509 version 3 certificate");
    }
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    for (String oid : critical == null ? Set.<String>of() : critical) {
      if (!KNOWN_CRITICAL_EXTENSIONS.contains(oid)) {
        throw new CertificateRejectedException(MALFORMED, "unknown critical extension " + oid);
      }
    }
  }

  /**
   * Whether {@code certificate} is an auditor certificate: its extended key usage names the
   * fedtrace auditor purpose ({@link CertificateProfile#AUDITOR_EKU_OID}). Says nothing about
   * trust; validate it first.
   */
  public static boolean isAuditor(X509Certificate certificate) {
    try {
      List<String> eku = certificate.getExtendedKeyUsage();
      return eku != null && eku.contains(CertificateProfile.AUDITOR_EKU_OID);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  private static void checkPurpose(X509Certificate certificate, CertificatePurpose purpose)
      throws CertificateRejectedException {
    if (certificate.getBasicConstraints() >= 0) {
      throw wrongPurpose("a CA certificate cannot be an operator certificate");
    }
    boolean[] keyUsage = certificate.getKeyUsage();
    if (keyUsage == null || !keyUsage[DIGITAL_SIGNATURE]) {
      throw wrongPurpose("key usage lacks digitalSignature");
    }
    if (keyUsage.length > KEY_CERT_SIGN && (keyUsage[KEY_CERT_SIGN] || keyUsage[CRL_SIGN])) {
      throw wrongPurpose("key usage allows signing certificates");
    }
    List<String> eku = extendedKeyUsage(certificate);
    if (purpose == CertificatePurpose.BATCH_SIGNING) {
      checkBatchSigning(certificate, eku);
    } else {
      checkTls(certificate, eku, purpose);
    }
  }

  private static void checkBatchSigning(X509Certificate certificate, List<String> eku)
      throws CertificateRejectedException {
    if (eku.contains(SERVER_AUTH) || eku.contains(CLIENT_AUTH)) {
      throw wrongPurpose("a TLS certificate cannot sign batches");
    }
    if (!eku.equals(List.of(BATCH_SIGNING))) {
      throw wrongPurpose(
          "not a batch-signing certificate (extended key usage must be exactly "
              + BATCH_SIGNING
              + ")");
    }
    if (!CertificateKeyType.ED25519.matches(certificate.getPublicKey())) {
      throw wrongPurpose("a batch-signing certificate must hold an Ed25519 key");
    }
  }

  private static void checkTls(
      X509Certificate certificate, List<String> eku, CertificatePurpose purpose)
      throws CertificateRejectedException {
    if (eku.contains(BATCH_SIGNING)) {
      throw wrongPurpose("a batch-signing certificate cannot be used for TLS");
    }
    boolean client = purpose == CertificatePurpose.TLS_CLIENT;
    String needed = client ? CLIENT_AUTH : SERVER_AUTH;
    if (!eku.contains(needed)) {
      throw wrongPurpose(
          "not a TLS "
              + (client ? "client" : "server")
              + " certificate (extended key usage lacks "
              + (client ? "clientAuth" : "serverAuth")
              + ")");
    }
    if (!CertificateKeyType.ECDSA_P256.matches(certificate.getPublicKey())) {
      throw wrongPurpose("a TLS certificate must hold an ECDSA P-256 key");
    }
  }

  private static List<String> extendedKeyUsage(X509Certificate certificate)
      throws CertificateRejectedException {
    List<String> eku;
    try {
      eku = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateRejectedException(MALFORMED, "malformed extended key usage");
    }
    if (eku == null) {
      throw wrongPurpose("no extended key usage");
    }
    return eku;
  }

  private static OperatorIdentity identity(X509Certificate certificate)
      throws CertificateRejectedException {
    List<String> uris = identityUris(certificate);
    if (uris.size() != 1) {
      throw new CertificateRejectedException(
          NO_IDENTITY,
          uris.isEmpty()
              ? "no operator identity URI in subjectAltName"
              : "more than one operator identity URI in subjectAltName");
    }
    OperatorIdentity identity;
    try {
      identity = OperatorIdentity.fromUri(uris.get(0));
    } catch (IllegalArgumentException e) {
      throw new CertificateRejectedException(
          NO_IDENTITY, "malformed operator identity: " + e.getMessage());
    }
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    String country = CertificateProfile.singleValue(subject, BCStyle.C).orElse("");
    String organization = CertificateProfile.singleValue(subject, BCStyle.O).orElse("");
    if (!country.equals(identity.country()) || !organization.equals(identity.operatorId())) {
      throw new CertificateRejectedException(
          NO_IDENTITY,
          "subject C="
              + country
              + ", O="
              + organization
              + " does not match the identity URI "
              + identity.uri());
    }
    return identity;
  }

  private static List<String> identityUris(X509Certificate certificate)
      throws CertificateRejectedException {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateRejectedException(MALFORMED, "malformed subjectAltName");
    }
    List<String> uris = new ArrayList<>();
    for (List<?> name : names == null ? List.<List<?>>of() : names) {
      if (name.get(0).equals(URI_NAME)
          && name.get(1) instanceof String uri
          && uri.startsWith(OperatorIdentity.URI_PREFIX)) {
        uris.add(uri);
      }
    }
    return uris;
  }

  private static CertificateRejectedException wrongPurpose(String message) {
    return new CertificateRejectedException(WRONG_PURPOSE, message);
  }

  @Override
  public String toString() {
    return "CertificateValidator[" + authority.getSubjectX500Principal() + "]";
  }
}
