package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  private final TestPki pki = TestPki.create();
  private final OperatorCredentials credentials = pki.member("PT", "pt-node");

  @TempDir Path dir;

  @Test
  void roundTripsCertificatesInOrder() throws Exception {
    Path file = dir.resolve("chain.crt");
    Pem.writeCertificates(file, credentials.tls().certificate(), pki.caCertificate());
    assertEquals(
        List.of(credentials.tls().certificate(), pki.caCertificate()), Pem.readCertificates(file));
    assertEquals("-----BEGIN CERTIFICATE-----", Files.readAllLines(file).get(0));
  }

  @Test
  void roundTripsBothKeyTypesAsOwnerOnlyPkcs8() throws Exception {
    for (Credential credential : List.of(credentials.tls(), credentials.signing())) {
      Path file = dir.resolve(credential.privateKey().getAlgorithm() + ".key");
      Pem.writePrivateKey(file, credential.privateKey());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("-----BEGIN PRIVATE KEY-----", Files.readAllLines(file).get(0));
      PrivateKey read = Pem.readPrivateKey(file);
      assertArrayEquals(credential.privateKey().getEncoded(), read.getEncoded());
      new Credential(credential.certificate(), read).requireMatchingKey();
    }
  }

  @Test
  void neverOverwrites() throws Exception {
    Path file = dir.resolve("tls.key");
    Files.writeString(file, "precious");
    assertThrows(
        FileAlreadyExistsException.class,
        () -> Pem.writePrivateKey(file, credentials.tls().privateKey()));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> Pem.writeCertificates(file, credentials.tls().certificate()));
    assertEquals("precious", Files.readString(file));
  }

  @Test
  void refusesAKeyThatDoesNotBelongToTheCertificate() {
    Credential mixed =
        new Credential(
            credentials.tls().certificate(), pki.nonMember("ES", "es").tls().privateKey());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, mixed::requireMatchingKey);
    assertEquals("the private key does not belong to CN=pt-node, O=pt-node, C=PT", e.getMessage());
    assertEquals("Credential[CN=pt-node, O=pt-node, C=PT, private key redacted]", mixed.toString());
  }

  @Test
  void refusesWhatIsNotACertificateFile() throws Exception {
    Path key = dir.resolve("tls.key");
    Pem.writePrivateKey(key, credentials.tls().privateKey());
    assertMessage(key + ": unexpected PEM block PRIVATE KEY", () -> Pem.readCertificate(key));
    Path empty = Files.writeString(dir.resolve("empty.crt"), "nothing here\n");
    assertMessage(empty + ": no PEM certificate", () -> Pem.readCertificates(empty));
    Path two = dir.resolve("two.crt");
    Pem.writeCertificates(two, pki.caCertificate(), pki.caCertificate());
    assertMessage(two + ": expected one certificate, found 2", () -> Pem.readCertificate(two));
    Path garbage =
        Files.writeString(
            dir.resolve("garbage.crt"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertMessage(garbage + ": malformed certificate", () -> Pem.readCertificate(garbage));
  }

  @Test
  void refusesWhatIsNotAPkcs8KeyFile() throws Exception {
    Path certificate = dir.resolve("tls.crt");
    Pem.writeCertificates(certificate, credentials.tls().certificate());
    String expected = ": expected one unencrypted PKCS#8 PEM block (PRIVATE KEY)";
    assertMessage(certificate + expected, () -> Pem.readPrivateKey(certificate));
    Path traditional =
        Files.writeString(
            dir.resolve("ec.key"), Pem.encode("EC PRIVATE KEY", new byte[] {1, 2, 3}));
    assertMessage(traditional + expected, () -> Pem.readPrivateKey(traditional));
    Path bad = Files.writeString(dir.resolve("bad.key"), Pem.encode("PRIVATE KEY", new byte[] {1}));
    assertMessage(bad + ": not a PKCS#8 private key", () -> Pem.readPrivateKey(bad));
    Path missing = dir.resolve("missing.key");
    assertThrows(java.nio.file.NoSuchFileException.class, () -> Pem.readPrivateKey(missing));
  }

  private static void assertMessage(
      String message, org.junit.jupiter.api.function.Executable read) {
    IOException e = assertThrows(IOException.class, read);
    assertEquals(message, e.getMessage());
  }
}
