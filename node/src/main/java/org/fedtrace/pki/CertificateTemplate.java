package org.fedtrace.pki;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.util.IPAddress;

/**
 * The contents of a certificate to issue, apart from its key and issuer. The static factories are
 * the fedtrace profiles; tests change fields to mint deliberately bad certificates.
 */
final class CertificateTemplate {
  private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1");

  X500Name subject;
  Instant notBefore;
  Instant notAfter;
  boolean ca;
  int keyUsage;
  final List<KeyPurposeId> extendedKeyUsages = new ArrayList<>();
  final List<GeneralName> alternativeNames = new ArrayList<>();

  private CertificateTemplate(X500Name subject, Instant notBefore, Instant notAfter) {
    this.subject = subject;
    this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
    this.notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!this.notBefore.isBefore(this.notAfter)) {
      throw new IllegalArgumentException(
          "a certificate's validity must end after it starts: " + notBefore + " .. " + notAfter);
    }
  }

  /** The federation authority: CA with path length 0, keyCertSign and cRLSign. */
  static CertificateTemplate authority(String federation, Instant notBefore, Instant notAfter) {
    CertificateTemplate t =
        new CertificateTemplate(
            CertificateProfile.authoritySubject(federation), notBefore, notAfter);
    t.ca = true;
    t.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    return t;
  }

  /**
   * An operator's TLS certificate: digitalSignature, serverAuth and clientAuth, the identity URI,
   * and as DNS names or IP addresses {@code localhost}, {@code 127.0.0.1} and {@code hosts}.
   */
  static CertificateTemplate tls(
      OperatorIdentity identity, List<String> hosts, Instant notBefore, Instant notAfter) {
    CertificateTemplate t = operator(identity, notBefore, notAfter);
    t.keyUsage = KeyUsage.digitalSignature;
    t.extendedKeyUsages.add(KeyPurposeId.id_kp_serverAuth);
    t.extendedKeyUsages.add(KeyPurposeId.id_kp_clientAuth);
    List<String> all = new ArrayList<>(LOOPBACK);
    for (String host : hosts) {
      String normalized = CertificateProfile.requireHost(host);
      if (!all.contains(normalized)) {
        all.add(normalized);
      }
    }
    for (String host : all) {
      t.alternativeNames.add(
          new GeneralName(
              IPAddress.isValid(host) ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return t;
  }

  /**
   * An auditor's TLS client certificate: digitalSignature, clientAuth and the fedtrace auditor
   * purpose, the identity URI, no host names (an auditor serves nothing).
   */
  static CertificateTemplate auditor(
      OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    CertificateTemplate t = operator(identity, notBefore, notAfter);
    t.keyUsage = KeyUsage.digitalSignature;
    t.extendedKeyUsages.add(KeyPurposeId.id_kp_clientAuth);
    t.extendedKeyUsages.add(CertificateProfile.AUDITOR);
    return t;
  }

  /** An operator's batch-signing certificate: only the fedtrace batch-signing purpose. */
  static CertificateTemplate batchSigning(
      OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    CertificateTemplate t = operator(identity, notBefore, notAfter);
    t.keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    t.extendedKeyUsages.add(CertificateProfile.BATCH_SIGNING);
    return t;
  }

  private static CertificateTemplate operator(
      OperatorIdentity identity, Instant notBefore, Instant notAfter) {
    CertificateTemplate t =
        new CertificateTemplate(CertificateProfile.operatorSubject(identity), notBefore, notAfter);
    t.alternativeNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri()));
    return t;
  }
}
