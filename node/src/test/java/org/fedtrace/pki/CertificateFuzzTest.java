package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.fuzz.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes certificate parsing and validation as the node does it for a batch's signer certificate
 * and a TLS peer's certificate. Whatever the DER bytes, the validator either names an identity or
 * refuses them with a {@link CertificateRejectedException}; any other exception is a finding.
 */
public class CertificateFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final TestPki PKI = TestPki.create(NOW, 14);
  private static final OperatorCredentials DE = PKI.member("DE", "op-de");

  enum Outcome {
    NOT_A_CERTIFICATE,
    REFUSED,
    BATCH_SIGNER,
    TLS_PEER
  }

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void validate(byte[] der) {
    run(der);
  }

  static Outcome run(byte[] der) {
    CertificateValidator validator = PKI.validator();
    try {
      validator.validateBatchSigner(der, NOW);
      return Outcome.BATCH_SIGNER;
    } catch (CertificateRejectedException e) {
      // not a signer: perhaps a TLS certificate
    }
    X509Certificate certificate;
    try {
      certificate = CertificateKeys.certificateFromDer(der);
    } catch (CertificateException e) {
      return Outcome.NOT_A_CERTIFICATE;
    }
    try {
      validator.validate(certificate, CertificatePurpose.TLS_CLIENT, NOW);
      validator.validate(certificate, CertificatePurpose.TLS_SERVER, NOW);
      return Outcome.TLS_PEER;
    } catch (CertificateRejectedException e) {
      return Outcome.REFUSED;
    }
  }

  @Test
  void aMembersCertificatesPassAndOthersAreRefused() throws CertificateEncodingException {
    byte[] tls = DE.tls().certificate().getEncoded();
    byte[] signing = DE.signing().certificate().getEncoded();
    Seeds.offer(CertificateFuzzTest.class, "validate", "tls", tls);
    Seeds.offer(CertificateFuzzTest.class, "validate", "signing", signing);
    assertEquals(Outcome.TLS_PEER, run(tls));
    assertEquals(Outcome.BATCH_SIGNER, run(signing));
    OperatorIdentity de = new OperatorIdentity("DE", "op-de");
    assertEquals(Outcome.REFUSED, run(PKI.expiredTls(de).certificate().getEncoded()));
    assertEquals(Outcome.REFUSED, run(PKI.foreignCaTls(de).certificate().getEncoded()));
    assertEquals(Outcome.NOT_A_CERTIFICATE, run(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
  }
}
