package org.fedtrace.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The two key types of fedtrace certificates, with every operation the PKI performs on them.
 *
 * <p>{@link #ECDSA_P256} (ECDSA on NIST P-256 with SHA-256) is the federation authority's key and
 * every TLS key: all TLS 1.3 stacks support it. {@link #ED25519} (RFC 8032, RFC 8410) is the
 * batch-signing key, the same primitive as {@link SigningKey}. Keys are the JDK's own key objects,
 * so they plug into Netty, the JDK's TLS and {@link SigningKey#fromPrivateKey} unchanged.
 */
public enum CertificateKeyType {
  /** ECDSA over NIST P-256 (secp256r1), signatures with SHA-256, DER encoded. */
  ECDSA_P256(
      "EC",
      "SHA256withECDSA",
      X9ObjectIdentifiers.id_ecPublicKey,
      SECObjectIdentifiers.secp256r1,
      X9ObjectIdentifiers.ecdsa_with_SHA256),
  /** Ed25519: pure EdDSA over edwards25519, 64-byte signatures. */
  ED25519(
      "Ed25519",
      "Ed25519",
      EdECObjectIdentifiers.id_Ed25519,
      null,
      EdECObjectIdentifiers.id_Ed25519);

  private final String keyAlgorithm;
  private final String signatureAlgorithm;
  private final ASN1ObjectIdentifier keyOid;
  private final ASN1ObjectIdentifier curveOid;
  private final ASN1ObjectIdentifier signatureOid;

  CertificateKeyType(
      String keyAlgorithm,
      String signatureAlgorithm,
      ASN1ObjectIdentifier keyOid,
      ASN1ObjectIdentifier curveOid,
      ASN1ObjectIdentifier signatureOid) {
    this.keyAlgorithm = keyAlgorithm;
    this.signatureAlgorithm = signatureAlgorithm;
    this.keyOid = keyOid;
    this.curveOid = curveOid;
    this.signatureOid = signatureOid;
  }

  /** A fresh key pair drawn from {@code random}. */
  public KeyPair generate(SecureRandom random) {
    AlgorithmParameterSpec spec =
        curveOid == null ? NamedParameterSpec.ED25519 : new ECGenParameterSpec("secp256r1");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
      generator.initialize(spec, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
    }
  }

  /**
   * A Bouncy Castle content signer for certificates issued with {@code key}.
   *
   * @throws IllegalArgumentException if {@code key} is not of this type
   */
  public ContentSigner contentSigner(PrivateKey key) {
    requireType(key);
    try {
      return new JcaContentSignerBuilder(signatureAlgorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with a " + this + " key", e);
    }
  }

  /**
   * Signs {@code message} with {@code key}: a DER ECDSA signature or a 64-byte Ed25519 signature.
   *
   * @throws IllegalArgumentException if {@code key} is not of this type
   */
  public byte[] sign(PrivateKey key, byte[] message) {
    requireType(key);
    try {
      Signature signer = Signature.getInstance(signatureAlgorithm);
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with a " + this + " key", e);
    }
  }

  /**
   * Checks a signature made by {@link #sign}.
   *
   * @throws SignatureException if {@code key} is not of this type, or the signature is malformed or
   *     does not verify
   */
  public void verify(PublicKey key, byte[] message, byte[] signature) throws SignatureException {
    if (!matches(key)) {
      throw new SignatureException("expected a " + this + " public key");
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(key);
      verifier.update(message);
      valid = verifier.verify(signature);
    } catch (InvalidKeyException e) {
      throw new SignatureException("unusable " + this + " public key", e);
    } catch (SignatureException e) {
      throw new SignatureException("malformed " + this + " signature", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot verify " + this + " signatures", e);
    }
    if (!valid) {
      throw new SignatureException("the " + this + " signature does not verify");
    }
  }

  /** The X.509 signature algorithm identifier of signatures made with this key type. */
  String signatureOid() {
    return signatureOid.getId();
  }

  /** Whether {@code key} is of this type (for ECDSA: on curve P-256). */
  public boolean matches(PublicKey key) {
    byte[] spki = key.getEncoded();
    return spki != null && matches(SubjectPublicKeyInfo.getInstance(spki).getAlgorithm());
  }

  /** Whether {@code key} is of this type (for ECDSA: on curve P-256). */
  public boolean matches(PrivateKey key) {
    byte[] pkcs8 = key.getEncoded();
    return pkcs8 != null && matches(PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm());
  }

  boolean matches(AlgorithmIdentifier algorithm) {
    if (!keyOid.equals(algorithm.getAlgorithm())) {
      return false;
    }
    return curveOid == null
        ? algorithm.getParameters() == null
        : curveOid.equals(algorithm.getParameters());
  }

  String keyAlgorithm() {
    return keyAlgorithm;
  }

  /**
   * The type of {@code key}.
   *
   * @throws IllegalArgumentException if fedtrace does not use keys like {@code key}
   */
  public static CertificateKeyType of(PublicKey key) {
    for (CertificateKeyType type : values()) {
      if (type.matches(key)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unsupported key: " + key.getAlgorithm() + " (fedtrace uses ECDSA P-256 and Ed25519)");
  }

  private void requireType(PrivateKey key) {
    if (!matches(key)) {
      throw new IllegalArgumentException(
          "expected a " + this + " private key, got " + key.getAlgorithm());
    }
  }
}
