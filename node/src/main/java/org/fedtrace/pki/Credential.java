package org.fedtrace.pki;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import org.fedtrace.crypto.CertificateKeyType;

/**
 * A certificate and its private key. {@link #toString} never shows the key.
 *
 * @param certificate the certificate
 * @param privateKey the private key of the certificate's public key
 */
public record Credential(X509Certificate certificate, PrivateKey privateKey) {
  private static final byte[] PROBE =
      "fedtrace.v1.key-pair-probe".getBytes(StandardCharsets.US_ASCII);

  /**
   * Checks that {@link #privateKey} belongs to the certificate's public key, by signing a probe.
   *
   * @throws IllegalArgumentException if it does not, or the key type is not one fedtrace uses
   */
  public void requireMatchingKey() {
    CertificateKeyType type = CertificateKeyType.of(certificate.getPublicKey());
    try {
      type.verify(certificate.getPublicKey(), PROBE, type.sign(privateKey, PROBE));
    } catch (SignatureException e) {
      throw new IllegalArgumentException(
          "the private key does not belong to " + certificate.getSubjectX500Principal(), e);
    }
  }

  @Override
  public String toString() {
    return "Credential[" + certificate.getSubjectX500Principal() + ", private key redacted]";
  }
}
