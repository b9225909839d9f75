package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The issued certificates carry exactly the profiles the spec describes. */
class CertificateProfileTest {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DNS = 2;
  private static final int URI = 6;
  private static final int IP = 7;
  private static final Set<String> CRITICAL = Set.of("2.5.29.15", "2.5.29.19");

  private final TestPki pki = TestPki.create();

  @Test
  void authorityIsASelfSignedCaWithPathLengthZero() throws Exception {
    X509Certificate ca = pki.caCertificate();
    assertEquals("CN=test Federation Authority", ca.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    assertEquals(0, ca.getBasicConstraints());
    assertArrayEquals(
        new boolean[] {false, false, false, false, false, true, true, false, false},
        ca.getKeyUsage());
    assertNull(ca.getExtendedKeyUsage());
    assertEquals(ECDSA_WITH_SHA256, ca.getSigAlgOID());
    assertEquals(CRITICAL, ca.getCriticalExtensionOIDs());
    ca.verify(ca.getPublicKey());
  }

  @Test
  void tlsCertificateIsForBothEndsAndNamesTheOperatorAndLoopback() throws Exception {
    X509Certificate tls =
        pki.authority()
            .issue(
                new OperatorIdentity("NL", "nl-rivm"),
                List.of("node.example.nl", "Node.Example.NL", "192.0.2.7", "::1"),
                pki.now(),
                pki.now().plusSeconds(3600))
            .tls()
            .certificate();
    assertEquals("CN=nl-rivm,O=nl-rivm,C=NL", tls.getSubjectX500Principal().getName());
    assertEquals(-1, tls.getBasicConstraints());
    assertArrayEquals(
        new boolean[] {true, false, false, false, false, false, false, false, false},
        tls.getKeyUsage());
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), tls.getExtendedKeyUsage());
    assertEquals(
        List.of(
            List.of(URI, "urn:fedtrace:operator:NL:nl-rivm"),
            List.of(DNS, "localhost"),
            List.of(IP, "127.0.0.1"),
            List.of(DNS, "node.example.nl"),
            List.of(IP, "192.0.2.7"),
            List.of(IP, "0:0:0:0:0:0:0:1")),
        List.copyOf(tls.getSubjectAlternativeNames()));
    assertEquals("EC", tls.getPublicKey().getAlgorithm());
    assertEquals(ECDSA_WITH_SHA256, tls.getSigAlgOID());
    assertEquals(CRITICAL, tls.getCriticalExtensionOIDs());
  }

  @Test
  void signingCertificateHasOnlyTheBatchSigningPurpose() throws Exception {
    OperatorCredentials credentials = pki.member("IT", "it-iss");
    X509Certificate signing = credentials.signing().certificate();
    assertEquals(
        credentials.tls().certificate().getSubjectX500Principal(),
        signing.getSubjectX500Principal());
    assertArrayEquals(
        new boolean[] {true, true, false, false, false, false, false, false, false},
        signing.getKeyUsage());
    assertEquals(
        List.of("2.25.300197075450569156069552589884815148638"), signing.getExtendedKeyUsage());
    assertEquals(
        List.of(List.of(URI, "urn:fedtrace:operator:IT:it-iss")),
        List.copyOf(signing.getSubjectAlternativeNames()));
    assertEquals("EdDSA", signing.getPublicKey().getAlgorithm());
    assertNotEquals(credentials.tls().certificate().getSerialNumber(), signing.getSerialNumber());
    assertTrue(signing.getSerialNumber().signum() > 0);
  }

  @Test
  void refusesBadHostNames() {
    for (String host : List.of("", "bad_host", "-leading.example", "a..b", "x".repeat(64))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CertificateProfile.requireHost(host));
      assertEquals("'" + host + "' is not a DNS host name or an IP address", e.getMessage());
    }
    assertEquals("node.example.org", CertificateProfile.requireHost("Node.Example.ORG"));
  }
}
