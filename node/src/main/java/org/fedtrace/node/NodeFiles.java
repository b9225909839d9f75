package org.fedtrace.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.Signer;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCertificates;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.upload.HealthAuthorities;

/**
 * What a node needs from files before it can start, each checked (spec R2.2, R2.7): the federation
 * authority, the signed agreement, the operator's credentials (valid for their purposes, one
 * operator, a member of the agreement), the health-authority keys trusted for uploads, and the
 * batch-signing key, from its file or its HSM token ({@link KeyCustody}).
 *
 * @param validator trusts exactly the federation authority
 * @param certificates the TLS credential and the batch-signing certificate
 * @param signer signs with the key of the batch-signing certificate
 * @param authorities the agreement's health authorities and the national trust list
 */
record NodeFiles(
    CertificateValidator validator,
    Agreement agreement,
    OperatorCertificates certificates,
    Signer signer,
    HealthAuthorities authorities) {

  /**
   * Loads and checks the files {@code config} names.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  static NodeFiles load(NodeConfig config, Clock clock) throws NodeStartException {
    CertificateValidator anchor = validator(config.federation().caCertificate());
    Agreement agreement = agreement(config.federation().agreement(), anchor.authority());
    // every use of the validator (TLS both ways, batch signers) refuses what the agreement revokes
    CertificateValidator validator = anchor.revoking(agreement.revokedCertificates());
    OperatorCertificates certificates;
    try {
      certificates = OperatorCertificates.load(config.credentials(), validator, clock.instant());
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw new NodeStartException(
          "credentials: cannot use " + config.credentials() + ": " + e.getMessage());
    }
    if (!agreement.isMember(certificates.identity())) {
      throw new NodeStartException(
          "credentials: "
              + certificates.identity()
              + " is not a member of the agreement "
              + agreement.federation()
              + " version "
              + agreement.version());
    }
    HealthAuthorities authorities =
        authorities(agreement, config.uploads().healthAuthorityKeys(), certificates.identity());
    Signer signer = KeyCustody.open(config, certificates.signing());
    return new NodeFiles(validator, agreement, certificates, signer, authorities);
  }

  /**
   * The origin of the node {@code config} describes (spec §26.2), from its federation authority,
   * agreement and credentials alone: what {@code fedtrace export} needs to put the node's
   * domestic-only keys in its own series (R25.14) without opening its batch-signing key.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  static String origin(NodeConfig config, Clock clock) throws NodeStartException {
    CertificateValidator anchor = validator(config.federation().caCertificate());
    Agreement agreement = agreement(config.federation().agreement(), anchor.authority());
    OperatorIdentity self;
    try {
      self =
          OperatorCertificates.load(
                  config.credentials(),
                  anchor.revoking(agreement.revokedCertificates()),
                  clock.instant())
              .identity();
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw new NodeStartException(
          "credentials: cannot use " + config.credentials() + ": " + e.getMessage());
    }
    if (!agreement.isMember(self)) {
      throw new NodeStartException("credentials: " + self + " is not a member of the agreement");
    }
    return org.fedtrace.pki.MemberOrigins.originOf(agreement.members(), self);
  }

  /** The operator's identity. */
  OperatorIdentity identity() {
    return certificates.identity();
  }

  /** The operator's TLS credential (client and server). */
  Credential tls() {
    return certificates.tls();
  }

  /** Releases the signing key (logs out of its HSM token); the node signs nothing after. */
  void close() {
    KeyCustody.close(signer);
  }

  /** The DER batch-signing certificate, which travels with batches and checkpoints. */
  byte[] signingCertificate() {
    try {
      return certificates.signing().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a loaded certificate cannot be encoded", e);
    }
  }

  private static CertificateValidator validator(Path caFile) throws NodeStartException {
    try {
      return CertificateValidator.trusting(Pem.readCertificate(caFile));
    } catch (IOException | CertificateException e) {
      throw new NodeStartException(
          "federation.caCertificate: cannot use " + caFile + ": " + e.getMessage());
    }
  }

  private static Agreement agreement(Path file, X509Certificate ca) throws NodeStartException {
    Path sig = file.resolveSibling(file.getFileName() + ".sig");
    try {
      return Agreement.verify(Files.readAllBytes(file), Files.readAllBytes(sig), ca);
    } catch (IOException | AgreementException e) {
      throw new NodeStartException(
          "federation.agreement: cannot use " + file + ": " + e.getMessage());
    }
  }

  private static HealthAuthorities authorities(
      Agreement agreement, List<Path> nationalKeys, OperatorIdentity self)
      throws NodeStartException {
    HealthAuthorities.Builder b = HealthAuthorities.builder();
    for (HealthAuthority h : agreement.healthAuthorities()) {
      b.add(h.country(), h.name(), h.publicKey());
    }
    for (Path p : nationalKeys) {
      try {
        String pem = Files.readString(p);
        String body =
            pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        b.add(
            self.country(),
            p.getFileName().toString(),
            CertificateKeys.verifyingKeyFromSpki(Base64.getDecoder().decode(body)));
      } catch (IOException | IllegalArgumentException e) {
        throw new NodeStartException(
            "uploads.healthAuthorityKeys: cannot use "
                + p
                + " (an Ed25519 PUBLIC KEY in PEM): "
                + e.getMessage());
      }
    }
    return b.build();
  }
}
