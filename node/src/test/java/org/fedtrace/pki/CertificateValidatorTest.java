package org.fedtrace.pki;

import static org.fedtrace.pki.CertificatePurpose.BATCH_SIGNING;
import static org.fedtrace.pki.CertificatePurpose.TLS_CLIENT;
import static org.fedtrace.pki.CertificatePurpose.TLS_SERVER;
import static org.fedtrace.pki.CertificateRejectedException.Reason.EXPIRED;
import static org.fedtrace.pki.CertificateRejectedException.Reason.MALFORMED;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NOT_YET_VALID;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NO_CERTIFICATE;
import static org.fedtrace.pki.CertificateRejectedException.Reason.NO_IDENTITY;
import static org.fedtrace.pki.CertificateRejectedException.Reason.UNTRUSTED_ISSUER;
import static org.fedtrace.pki.CertificateRejectedException.Reason.WRONG_PURPOSE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.fedtrace.crypto.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CertificateValidatorTest {
  private static final OperatorIdentity DE = new OperatorIdentity("DE", "de-node");
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "fr-node");

  private final TestPki pki = TestPki.create();
  private final CertificateValidator validator = pki.validator();
  private final OperatorCredentials good = pki.member("DE", "de-node");
  private final Instant now = pki.now();

  @Test
  void acceptsTheTlsCertificateAtBothEnds() throws Exception {
    assertEquals(DE, validator.validate(good.tls().certificate(), TLS_CLIENT, now));
    assertEquals(DE, validator.validate(good.tls().certificate(), TLS_SERVER, now));
  }

  @Test
  void acceptsTheSigningCertificateForBatches() throws Exception {
    assertEquals(DE, validator.validate(good.signing().certificate(), BATCH_SIGNING, now));
    TrustedSigner signer =
        validator.validateBatchSigner(good.signing().certificate().getEncoded(), now);
    assertEquals(DE, signer.identity());
    assertEquals(
        VerifyingKey.fromPublicKey(good.signing().certificate().getPublicKey()), signer.key());
  }

  @Test
  void acceptsAChainEndingInTheAuthority() throws Exception {
    List<X509Certificate> chain = List.of(good.tls().certificate(), pki.caCertificate());
    assertEquals(DE, validator.validate(chain, TLS_CLIENT, now));
  }

  @Test
  void refusesAnEmptyChain() {
    assertRejected(
        NO_CERTIFICATE,
        "no certificate was presented",
        () -> validator.validate(List.of(), TLS_CLIENT, now));
  }

  @Test
  void refusesACertificateFromAForeignAuthorityWithTheSameName() {
    X509Certificate foreign = pki.foreignCaTls(DE).certificate();
    assertEquals(pki.caCertificate().getSubjectX500Principal(), foreign.getIssuerX500Principal());
    assertRejected(
        UNTRUSTED_ISSUER,
        "not signed by the federation authority CN=test Federation Authority",
        () -> validator.validate(foreign, TLS_CLIENT, now));
  }

  @Test
  void refusesACertificateFromAnotherIssuerName() throws Exception {
    TestPki other = TestPki.create();
    CertificateValidator otherFederation =
        CertificateValidator.trusting(
            FederationAuthority.generate(
                    "other",
                    now.minusSeconds(60),
                    now.plusSeconds(3600),
                    new java.security.SecureRandom())
                .certificate());
    assertRejected(
        UNTRUSTED_ISSUER,
        "issued by CN=test Federation Authority, not by the federation authority"
            + " CN=other Federation Authority",
        () ->
            otherFederation.validate(other.member("FR", "x").tls().certificate(), TLS_CLIENT, now));
  }

  @Test
  void refusesAChainWithAForeignCertificate() {
    List<X509Certificate> chain =
        List.of(good.tls().certificate(), pki.foreignCaTls(FR).certificate());
    assertRejected(
        UNTRUSTED_ISSUER,
        "the chain holds a certificate other than the federation authority's:"
            + " CN=fr-node, O=fr-node, C=FR",
        () -> validator.validate(chain, TLS_CLIENT, now));
  }

  @Test
  void refusesAnExpiredCertificate() {
    X509Certificate expired = pki.expiredTls(DE).certificate();
    assertRejected(
        EXPIRED,
        "the certificate expired at " + expired.getNotAfter().toInstant(),
        () -> validator.validate(expired, TLS_CLIENT, now));
  }

  @Test
  void refusesAGoodCertificateAfterItsNotAfter() {
    X509Certificate tls = good.tls().certificate();
    Instant after = tls.getNotAfter().toInstant().plusSeconds(1);
    assertRejected(
        EXPIRED,
        "the certificate expired at " + tls.getNotAfter().toInstant(),
        () -> validator.validate(tls, TLS_CLIENT, after));
    assertEquals(DE, assertAccepted(tls, TLS_CLIENT, tls.getNotAfter().toInstant()));
  }

  @Test
  void refusesACertificateNotYetValid() {
    X509Certificate early = pki.notYetValidTls(DE).certificate();
    assertRejected(
        NOT_YET_VALID,
        "the certificate is not valid before " + early.getNotBefore().toInstant(),
        () -> validator.validate(early, TLS_SERVER, now));
  }

  @Test
  void refusesEverythingOnceTheAuthorityExpired() {
    X509Certificate ca = pki.caCertificate();
    Instant later = ca.getNotAfter().toInstant().plus(Duration.ofDays(1));
    assertRejected(
        EXPIRED,
        "the federation authority certificate expired at " + ca.getNotAfter().toInstant(),
        () -> validator.validate(good.tls().certificate(), TLS_SERVER, later));
  }

  @Test
  void refusesASigningCertificateUsedForTls() {
    X509Certificate signing = good.signing().certificate();
    for (CertificatePurpose tls : List.of(TLS_CLIENT, TLS_SERVER)) {
      assertRejected(
          WRONG_PURPOSE,
          "a batch-signing certificate cannot be used for TLS",
          () -> validator.validate(signing, tls, now));
    }
  }

  @Test
  void refusesATlsCertificateUsedToSignBatches() {
    assertRejected(
        WRONG_PURPOSE,
        "a TLS certificate cannot sign batches",
        () -> validator.validate(good.tls().certificate(), BATCH_SIGNING, now));
  }

  @Test
  void refusesATlsCertificateWithoutClientAuthAtTheClientEnd() throws Exception {
    X509Certificate serverOnly = pki.tlsWithoutClientAuth(DE).certificate();
    assertRejected(
        WRONG_PURPOSE,
        "not a TLS client certificate (extended key usage lacks clientAuth)",
        () -> validator.validate(serverOnly, TLS_CLIENT, now));
    assertEquals(DE, validator.validate(serverOnly, TLS_SERVER, now));
  }

  @Test
  void refusesATlsCertificateWithoutServerAuthAtTheServerEnd() throws Exception {
    X509Certificate clientOnly = pki.tlsWithoutServerAuth(DE).certificate();
    assertRejected(
        WRONG_PURPOSE,
        "not a TLS server certificate (extended key usage lacks serverAuth)",
        () -> validator.validate(clientOnly, TLS_SERVER, now));
    assertEquals(DE, validator.validate(clientOnly, TLS_CLIENT, now));
  }

  @Test
  void refusesATlsProfileWithAnEd25519Key() {
    assertRejected(
        WRONG_PURPOSE,
        "a TLS certificate must hold an ECDSA P-256 key",
        () -> validator.validate(pki.tlsWithEd25519Key(DE).certificate(), TLS_CLIENT, now));
  }

  @Test
  void refusesACaCertificateAsOperatorCertificate() {
    assertRejected(
        WRONG_PURPOSE,
        "a CA certificate cannot be an operator certificate",
        () -> validator.validate(pki.tlsMarkedCa(DE).certificate(), TLS_CLIENT, now));
    // the authority's own certificate names no operator; identity is checked before purpose
    assertRejected(
        NO_IDENTITY,
        "no operator identity URI in subjectAltName",
        () -> validator.validate(pki.caCertificate(), TLS_SERVER, now));
  }

  @Test
  void refusesACertificateWithoutIdentity() {
    assertRejected(
        NO_IDENTITY,
        "no operator identity URI in subjectAltName",
        () -> validator.validate(pki.tlsWithoutIdentity(DE).certificate(), TLS_CLIENT, now));
  }

  @Test
  void refusesAnIdentityThatContradictsTheSubject() {
    assertRejected(
        NO_IDENTITY,
        "subject C=FR, O=fr-node does not match the identity URI urn:fedtrace:operator:DE:de-node",
        () ->
            validator.validate(
                pki.tlsWithMismatchedSubject(DE, FR).certificate(), TLS_CLIENT, now));
  }

  @Test
  void refusesASubjectWithoutOrganization() {
    assertRejected(
        NO_IDENTITY,
        "subject C=DE, O= does not match the identity URI urn:fedtrace:operator:DE:subject-only",
        () ->
            validator.validate(
                pki.tlsWithSubject(new X500Name("C=DE, CN=subject-only")).certificate(),
                TLS_CLIENT,
                now));
  }

  @Test
  void refusesAnExpiredSigningCertificate() throws Exception {
    byte[] der = pki.expiredSigning(DE).certificate().getEncoded();
    CertificateRejectedException e =
        assertThrows(
            CertificateRejectedException.class, () -> validator.validateBatchSigner(der, now));
    assertEquals(EXPIRED, e.reason());
  }

  @Test
  void refusesGarbageAsSignerCertificate() throws Exception {
    byte[] der = good.signing().certificate().getEncoded();
    byte[] truncated = java.util.Arrays.copyOf(der, der.length - 1);
    assertRejected(
        MALFORMED,
        "not a DER X.509 certificate",
        () -> validator.validateBatchSigner(truncated, now));
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 1);
    assertRejected(
        MALFORMED, "not a DER X.509 certificate", () -> validator.validateBatchSigner(longer, now));
  }

  @Test
  void trustsOnlyAFederationAuthorityCertificate() {
    CertificateException e =
        assertThrows(
            CertificateException.class,
            () -> CertificateValidator.trusting(good.tls().certificate()));
    assertEquals("not a federation authority subject: CN=de-node, O=de-node, C=DE", e.getMessage());
  }

  @Test
  void knowsTheFederationName() {
    assertEquals("test", validator.federation());
    assertArrayEquals(
        new X509Certificate[] {pki.caCertificate()},
        new FederationTrustManager(validator, java.time.Clock.systemUTC()).getAcceptedIssuers());
  }

  private OperatorIdentity assertAccepted(
      X509Certificate certificate, CertificatePurpose purpose, Instant at) {
    try {
      return validator.validate(certificate, purpose, at);
    } catch (CertificateRejectedException e) {
      throw new AssertionError("rejected: " + e.getMessage(), e);
    }
  }

  @Test
  void refusesWhatTheAgreementRevokesForTlsAndSigning() throws Exception {
    OperatorCredentials fr = pki.member("FR", "fr-node");
    CertificateValidator revoking =
        validator.revoking(
            List.of(
                RevokedCertificate.of(
                    good.tls().certificate(), RevokedCertificate.Reason.KEY_COMPROMISE),
                RevokedCertificate.of(
                    good.signing().certificate(), RevokedCertificate.Reason.SUPERSEDED)));
    String serial = good.tls().certificate().getSerialNumber().toString(16);
    assertRejected(
        CertificateRejectedException.Reason.REVOKED,
        "the certificate of serial " + serial + " is revoked by the agreement (key_compromise)",
        () -> revoking.validate(good.tls().certificate(), TLS_CLIENT, now));
    assertRejected(
        CertificateRejectedException.Reason.REVOKED,
        "the certificate of serial " + serial + " is revoked by the agreement (key_compromise)",
        () -> revoking.validate(good.tls().certificate(), TLS_SERVER, now));
    assertRejected(
        CertificateRejectedException.Reason.REVOKED,
        "the certificate of serial "
            + good.signing().certificate().getSerialNumber().toString(16)
            + " is revoked by the agreement (superseded)",
        () -> revoking.validateBatchSigner(good.signing().certificate().getEncoded(), now));
    // others' certificates, and the plain validator, are unaffected
    assertEquals(FR, revoking.validate(fr.tls().certificate(), TLS_CLIENT, now));
    assertEquals(DE, validator.validate(good.tls().certificate(), TLS_CLIENT, now));
  }

  @Test
  void aForeignCertificateWithARevokedSerialIsRefusedForItsIssuer() throws Exception {
    X509Certificate foreign = pki.foreignCaTls(DE).certificate();
    CertificateValidator revoking =
        validator.revoking(
            List.of(RevokedCertificate.of(foreign, RevokedCertificate.Reason.KEY_COMPROMISE)));
    CertificateRejectedException e =
        assertThrows(
            CertificateRejectedException.class, () -> revoking.validate(foreign, TLS_CLIENT, now));
    assertEquals(UNTRUSTED_ISSUER, e.reason());
  }

  private static void assertRejected(
      CertificateRejectedException.Reason reason, String message, Executable validation) {
    CertificateRejectedException e = assertThrows(CertificateRejectedException.class, validation);
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }
}
