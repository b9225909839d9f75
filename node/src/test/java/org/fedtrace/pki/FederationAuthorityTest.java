package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fedtrace.crypto.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationAuthorityTest {
  private final TestPki pki = TestPki.create();
  private final Instant now = pki.now();

  @TempDir Path dir;

  @Test
  void writesAndLoadsItsDirectory() throws Exception {
    Path ca = dir.resolve("ca");
    Files.createDirectory(ca);
    pki.authority().writeTo(ca);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca.key"))));
    FederationAuthority loaded = FederationAuthority.load(ca, new SecureRandom());
    assertEquals(pki.caCertificate(), loaded.certificate());
    assertEquals("test", loaded.federation());
    OperatorCredentials issued =
        loaded.issue(new OperatorIdentity("BE", "be-node"), List.of(), now, now.plusSeconds(60));
    assertEquals(
        new OperatorIdentity("BE", "be-node"),
        pki.validator().validate(issued.tls().certificate(), CertificatePurpose.TLS_CLIENT, now));
  }

  @Test
  void refusesAKeyOfAnotherAuthority() throws Exception {
    Path ca = dir.resolve("ca");
    Files.createDirectory(ca);
    Pem.writeCertificates(ca.resolve("ca.crt"), pki.caCertificate());
    Pem.writePrivateKey(ca.resolve("ca.key"), pki.nonMember("LU", "lu").tls().privateKey());
    IOException e =
        assertThrows(IOException.class, () -> FederationAuthority.load(ca, new SecureRandom()));
    assertEquals(
        ca.resolve("ca.crt") + ": the private key does not belong to CN=test Federation Authority",
        e.getMessage());
  }

  @Test
  void neverIssuesBeyondItsOwnValidity() {
    Instant tooLate = pki.caCertificate().getNotAfter().toInstant().plusSeconds(1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pki.authority().issue(new OperatorIdentity("BE", "be"), List.of(), now, tooLate));
    assertTrue(e.getMessage().startsWith("an operator certificate cannot outlast"), e.getMessage());
  }

  @Test
  void refusesAnEmptyValidity() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pki.authority().issue(new OperatorIdentity("BE", "be"), List.of(), now, now));
    assertTrue(e.getMessage().startsWith("a certificate's validity must end after it starts"));
  }

  @Test
  void refusesABadFederationName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FederationAuthority.generate(
                    "bad/name", now, now.plus(Duration.ofDays(1)), new SecureRandom()));
    assertEquals(
        "'bad/name' is not a federation name (1 to 64 of A-Z, a-z, 0-9, space, '.', '_' and '-',"
            + " starting with a letter or digit)",
        e.getMessage());
  }

  @Test
  void loadsAnOperatorDirectory() throws Exception {
    OperatorCredentials credentials = pki.member("FI", "fi-thl");
    Path operator = pki.writeOperatorDirectory(dir.resolve("fi"), credentials);
    assertEquals(
        List.of(
            "agreement.json",
            "agreement.json.sig",
            "ca.crt",
            "signing.crt",
            "signing.key",
            "tls.crt",
            "tls.key"),
        Files.list(operator).map(p -> p.getFileName().toString()).sorted().toList());
    CertificateValidator validator =
        CertificateValidator.trusting(Pem.readCertificate(operator.resolve("ca.crt")));
    OperatorCredentials loaded = OperatorCredentials.load(operator, validator, now);
    assertEquals(credentials.identity(), loaded.identity());
    SigningKey signingKey = SigningKey.fromPrivateKey(loaded.signing().privateKey());
    byte[] signature = signingKey.sign(new byte[] {1, 2, 3});
    validator
        .validateBatchSigner(loaded.signing().certificate().getEncoded(), now)
        .key()
        .verify(new byte[] {1, 2, 3}, signature);
    assertTrue(Agreement.load(operator, validator.authority()).isMember(loaded.identity()));
  }

  @Test
  void refusesAnOperatorDirectoryWithSwappedCertificates() throws Exception {
    OperatorCredentials credentials = pki.member("FI", "fi-thl");
    OperatorCredentials swapped =
        new OperatorCredentials(credentials.identity(), credentials.signing(), credentials.tls());
    Path operator = pki.writeOperatorDirectory(dir.resolve("fi"), swapped);
    CertificateRejectedException e =
        assertThrows(
            CertificateRejectedException.class,
            () -> OperatorCredentials.load(operator, pki.validator(), now));
    assertEquals(CertificateRejectedException.Reason.WRONG_PURPOSE, e.reason());
  }
}
