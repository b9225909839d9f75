package org.fedtrace.conformance.kit;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * A certificate and its private key, as a test operator presents it in TLS or signs batches with.
 *
 * @param name the kit folder it came from, for messages
 */
public record Credential(String name, X509Certificate certificate, PrivateKey privateKey) {
  /** The certificate's DER bytes. */
  public byte[] der() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate has no encoding", e);
    }
  }

  @Override
  public String toString() {
    return "Credential[" + name + ", private key redacted]";
  }
}
