package org.fedtrace.crypto;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Decoding of certificates and private keys, and checking who signed a certificate.
 *
 * <p>Only the two {@link CertificateKeyType}s are accepted; anything else is refused when it is
 * read, not when it is first used.
 */
public final class CertificateKeys {
  private CertificateKeys() {}

  /**
   * The private key in a DER PKCS#8 {@code PrivateKeyInfo}.
   *
   * @throws InvalidKeySpecException if {@code pkcs8} is malformed or not an ECDSA P-256 or Ed25519
   *     key
   */
  public static PrivateKey privateKeyFromPkcs8(byte[] pkcs8) throws InvalidKeySpecException {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(pkcs8);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySpecException("not a PKCS#8 private key", e);
    }
    for (CertificateKeyType type : CertificateKeyType.values()) {
      if (type.matches(info.getPrivateKeyAlgorithm())) {
        try {
          return KeyFactory.getInstance(type.keyAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
          throw e;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("the JDK cannot read " + type + " keys", e);
        }
      }
    }
    throw new InvalidKeySpecException(
        "unsupported private key type (fedtrace uses ECDSA P-256 and Ed25519)");
  }

  /**
   * The ECDSA P-256 public key in a DER SubjectPublicKeyInfo (RFC 5480), as Exposure Notification
   * servers publish their export-signing keys.
   *
   * @throws IllegalArgumentException if {@code spki} is not an ECDSA P-256 public key
   */
  public static PublicKey ecdsaP256PublicKey(byte[] spki) {
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a DER EC SubjectPublicKeyInfo", e);
    }
    if (!CertificateKeyType.ECDSA_P256.matches(key)) {
      throw new IllegalArgumentException("not an ECDSA P-256 public key");
    }
    return key;
  }

  /**
   * The Ed25519 key in a DER SubjectPublicKeyInfo (RFC 8410).
   *
   * @throws IllegalArgumentException if {@code spki} is not exactly that
   */
  public static VerifyingKey verifyingKeyFromSpki(byte[] spki) {
    SubjectPublicKeyInfo info;
    byte[] raw;
    try {
      info = SubjectPublicKeyInfo.getInstance(spki);
      raw = info.getPublicKeyData().getOctets();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("not a DER SubjectPublicKeyInfo", e);
    }
    if (!CertificateKeyType.ED25519.matches(info.getAlgorithm())) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    VerifyingKey key = VerifyingKey.ofRaw(raw);
    if (!Arrays.equals(key.subjectPublicKeyInfo(), spki)) {
      throw new IllegalArgumentException("not a DER Ed25519 SubjectPublicKeyInfo");
    }
    return key;
  }

  /**
   * The X.509 certificate with DER encoding {@code der}.
   *
   * @throws CertificateException if {@code der} is not one well-formed certificate
   */
  public static X509Certificate certificateFromDer(byte[] der) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate certificate;
    try {
      certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (RuntimeException e) {
      // the JDK's parser throws unchecked exceptions on some malformed input (found by
      // BatchFuzzTest: ArrayIndexOutOfBoundsException), which a peer's batch must not turn into
      // INTERNAL instead of R8.11's INVALID_ARGUMENT
      throw new CertificateException("not a well-formed DER certificate", e);
    }
    if (certificate == null || !Arrays.equals(certificate.getEncoded(), der)) {
      throw new CertificateException("not exactly one DER certificate");
    }
    return certificate;
  }

  /**
   * Checks that {@code issuerKey} signed {@code certificate}, with the one signature algorithm that
   * belongs to the issuer's key type (ECDSA with SHA-256 for a P-256 key).
   *
   * @throws SignatureException if the signature algorithm does not fit the issuer's key, or the
   *     signature does not verify
   */
  public static void verifyIssuedBy(X509Certificate certificate, PublicKey issuerKey)
      throws SignatureException {
    CertificateKeyType type;
    try {
      type = CertificateKeyType.of(issuerKey);
    } catch (IllegalArgumentException e) {
      throw new SignatureException(e.getMessage(), e);
    }
    if (!type.signatureOid().equals(certificate.getSigAlgOID())) {
      throw new SignatureException(
          "signature algorithm " + certificate.getSigAlgOID() + " does not fit a " + type + " key");
    }
    try {
      certificate.verify(issuerKey);
    } catch (SignatureException e) {
      throw new SignatureException("the certificate signature does not verify", e);
    } catch (GeneralSecurityException e) {
      throw new SignatureException("the certificate signature cannot be checked", e);
    }
  }

  /**
   * A key manager presenting {@code key} with {@code certificate}, built once and shared by every
   * TLS context of a node. An in-memory JKS store protects nothing here (the key is in memory
   * anyway) and, unlike a PKCS#12 store, costs no password-based key derivation per context.
   */
  public static KeyManagerFactory keyManagerFactory(PrivateKey key, X509Certificate certificate) {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setKeyEntry("tls", key, password, new X509Certificate[] {certificate});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot hold a TLS key in memory", e);
    }
  }
}
