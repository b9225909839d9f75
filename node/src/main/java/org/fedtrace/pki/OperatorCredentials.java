package org.fedtrace.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What the federation authority issues an operator: a TLS credential (client and server) and a
 * separate batch-signing credential, both bound to the same identity.
 *
 * @param identity the operator both certificates name
 * @param tls ECDSA P-256 certificate with extended key usage serverAuth and clientAuth
 * @param signing Ed25519 certificate with only the batch-signing extended key usage
 */
public record OperatorCredentials(OperatorIdentity identity, Credential tls, Credential signing) {
  /**
   * Reads {@value PkiFiles#TLS_CERTIFICATE}, {@value PkiFiles#TLS_KEY}, {@value
   * PkiFiles#SIGNING_CERTIFICATE} and {@value PkiFiles#SIGNING_KEY} from {@code dir} and checks
   * them: each certificate valid for its purpose at {@code at}, both naming the same operator, each
   * key belonging to its certificate.
   *
   * @throws IOException if a file is missing or malformed
   * @throws CertificateRejectedException if a certificate is not acceptable
   * @throws IllegalArgumentException if the certificates name different operators or a key does not
   *     belong to its certificate
   */
  public static OperatorCredentials load(Path dir, CertificateValidator validator, Instant at)
      throws IOException, CertificateRejectedException {
    Path keyFile = dir.resolve(PkiFiles.SIGNING_KEY);
    OperatorCertificates certificates = OperatorCertificates.load(dir, validator, at);
    Credential signing = new Credential(certificates.signing(), Pem.readPrivateKey(keyFile));
    signing.requireMatchingKey();
    return new OperatorCredentials(certificates.identity(), certificates.tls(), signing);
  }

  /**
   * Writes the four credential files into the existing directory {@code dir}; keys owner-only. A
   * signing key kept in an HSM (null here) has no file: only its certificate is written.
   *
   * @throws java.nio.file.FileAlreadyExistsException if one of the files exists
   */
  public void writeTo(Path dir) throws IOException {
    Pem.writeCertificates(dir.resolve(PkiFiles.TLS_CERTIFICATE), tls.certificate());
    Pem.writePrivateKey(dir.resolve(PkiFiles.TLS_KEY), tls.privateKey());
    Pem.writeCertificates(dir.resolve(PkiFiles.SIGNING_CERTIFICATE), signing.certificate());
    if (signing.privateKey() != null) {
      Pem.writePrivateKey(dir.resolve(PkiFiles.SIGNING_KEY), signing.privateKey());
    }
  }
}
