package org.fedtrace.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.security.cert.CertificateException;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.junit.jupiter.api.Test;

/**
 * The DER certificate parser never throws anything but {@link CertificateException}, whatever the
 * bytes: a finding of BatchFuzzTest, whose input stays as that target's regression seed.
 */
class CertificateKeysTest {
  @Test
  void malformedDerThatBreaksTheJdkParserIsACertificateException() throws Exception {
    byte[] der;
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/org/fedtrace/batch/BatchFuzzTestInputs/admit/signer-certificate-aioobe")) {
      der = DiagnosisKeyBatch.parseFrom(in).getSignerCertificate().toByteArray();
    }
    CertificateException e =
        assertThrows(CertificateException.class, () -> CertificateKeys.certificateFromDer(der));
    assertEquals("not a well-formed DER certificate", e.getMessage());
    assertEquals(ArrayIndexOutOfBoundsException.class, e.getCause().getClass());
  }
}
