package org.fedtrace.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * An operator's TLS credential and batch-signing certificate, checked, without the signing key:
 * what a node loads from its credentials folder when that key is kept elsewhere (in an HSM).
 *
 * @param identity the operator both certificates name
 * @param tls ECDSA P-256 certificate with serverAuth and clientAuth, and its key
 * @param signing Ed25519 certificate with only the batch-signing extended key usage
 */
public record OperatorCertificates(
    OperatorIdentity identity, Credential tls, X509Certificate signing) {
  /**
   * Reads {@value PkiFiles#TLS_CERTIFICATE}, {@value PkiFiles#TLS_KEY} and {@value
   * PkiFiles#SIGNING_CERTIFICATE} from {@code dir} and checks them: each certificate valid for its
   * purpose at {@code at}, both naming the same operator, the TLS key belonging to its certificate.
   *
   * @throws IOException if a file is missing or malformed
   * @throws CertificateRejectedException if a certificate is not acceptable
   * @throws IllegalArgumentException if the certificates name different operators or the TLS key
   *     does not belong to its certificate
   */
  public static OperatorCertificates load(Path dir, CertificateValidator validator, Instant at)
      throws IOException, CertificateRejectedException {
    Credential tls =
        new Credential(
            Pem.readCertificate(dir.resolve(PkiFiles.TLS_CERTIFICATE)),
            Pem.readPrivateKey(dir.resolve(PkiFiles.TLS_KEY)));
    X509Certificate signing = Pem.readCertificate(dir.resolve(PkiFiles.SIGNING_CERTIFICATE));
    OperatorIdentity identity =
        validator.validate(tls.certificate(), CertificatePurpose.TLS_SERVER, at);
    validator.validate(tls.certificate(), CertificatePurpose.TLS_CLIENT, at);
    OperatorIdentity signer = validator.validate(signing, CertificatePurpose.BATCH_SIGNING, at);
    if (!identity.equals(signer)) {
      throw new IllegalArgumentException(
          "the TLS certificate names " + identity + " but the signing certificate " + signer);
    }
    tls.requireMatchingKey();
    return new OperatorCertificates(identity, tls, signing);
  }
}
