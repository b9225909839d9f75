package org.fedtrace.conformance.wire;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.KitWriter;

/**
 * How the suite checks a batch-signing certificate a node presents (a checkpoint's {@code
 * signer_certificate}, spec R13.12 and R13.32), with the JDK's PKIX validator and the kit's
 * authority as the only trust anchor: it chains to the authority and is valid at the given time,
 * its extended key usage is exactly the batch-signing purpose (protocol.md §2.2), it carries an
 * identity, and its key is Ed25519.
 */
public final class SignerCertificates {
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes. */
  private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

  private SignerCertificates() {}

  /**
   * A valid batch-signing certificate.
   *
   * @param identity the operator the certificate names
   * @param publicKey the raw 32-byte Ed25519 public key
   */
  public record Signer(Identity identity, byte[] publicKey) {}

  /**
   * Validates {@code der} as a batch-signing certificate the authority {@code ca} issued, valid at
   * {@code at}.
   *
   * @throws CertificateException saying what is wrong
   */
  public static Signer validate(byte[] der, X509Certificate ca, Instant at)
      throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate cert;
    try {
      cert = (X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new CertificateException("not a DER X.509 certificate: " + e.getMessage(), e);
    }
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(factory.generateCertPath(List.of(cert)), params);
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "does not chain to the federation authority at " + at + ": " + e.getMessage(), e);
    }
    List<String> eku = cert.getExtendedKeyUsage();
    if (!List.of(KitWriter.BATCH_SIGNING_OID).equals(eku)) {
      throw new CertificateException(
          "extended key usage " + eku + " is not exactly the batch-signing purpose");
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && !usage[0]) {
      throw new CertificateException("key usage lacks digitalSignature");
    }
    Identity identity =
        Identity.of(cert).orElseThrow(() -> new CertificateException("carries no identity"));
    byte[] spki = cert.getPublicKey().getEncoded();
    if (spki.length != ED25519_SPKI.length + 32
        || !Arrays.equals(spki, 0, ED25519_SPKI.length, ED25519_SPKI, 0, ED25519_SPKI.length)) {
      throw new CertificateException("its key is not Ed25519");
    }
    return new Signer(identity, Arrays.copyOfRange(spki, ED25519_SPKI.length, spki.length));
  }
}
