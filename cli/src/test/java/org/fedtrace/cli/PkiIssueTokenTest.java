package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.crypto.pkcs11.Pkcs11Signer;
import org.fedtrace.pki.Pem;
import org.fedtrace.testing.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace pki issue --token}: the batch-signing key is made in a real SoftHSM2 token and
 * never written to a file; the authority certifies the token's key (skipped without softhsm2).
 */
class PkiIssueTokenTest {
  @TempDir Path tmp;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  private Run issue(SoftHsm hsm, String out, Path pinFile) {
    return run(
        "pki",
        "issue",
        "--ca",
        tmp.resolve("ca").toString(),
        "--country",
        "DE",
        "--operator",
        "op-de",
        "--out",
        tmp.resolve(out).toString(),
        "--token",
        hsm.label(),
        "--pin-file",
        pinFile.toString(),
        "--pkcs11-library",
        SoftHsm.LIBRARY.toString());
  }

  private static byte[] certifiedKey(Path dir) throws Exception {
    X509Certificate cert = Pem.readCertificate(dir.resolve("signing.crt"));
    return VerifyingKey.fromPublicKey(cert.getPublicKey()).raw();
  }

  @Test
  void certifiesAKeyMadeInTheTokenAndWritesNoSigningKey() throws Exception {
    SoftHsm hsm = SoftHsm.create(tmp.resolve("hsm"), "fedtrace");
    assertEquals(
        0,
        run(
                "pki",
                "init",
                "--out",
                tmp.resolve("ca").toString(),
                "--federation",
                "t",
                "--sunset",
                "2030-01-01")
            .status);

    Run issued = issue(hsm, "de", hsm.pinFile());
    assertEquals(0, issued.status, issued.err);
    assertTrue(
        issued.out.contains("signing.crt for the key 'signing' in token 'fedtrace'"), issued.out);
    assertFalse(Files.exists(tmp.resolve("de").resolve("signing.key")), "no key file");
    byte[] certified = certifiedKey(tmp.resolve("de"));
    try (Pkcs11Signer signer =
        Pkcs11Signer.open(SoftHsm.LIBRARY, "fedtrace", hsm.pinFile(), "signing")) {
      assertArrayEquals(signer.verifyingKey().raw(), certified, "the token's key is certified");
      byte[] message = "a checkpoint".getBytes(StandardCharsets.UTF_8);
      VerifyingKey.ofRaw(certified).verify(message, signer.sign(message));
    }

    Run renewed = issue(hsm, "de-renewed", hsm.pinFile());
    assertEquals(0, renewed.status, renewed.err);
    assertArrayEquals(certified, certifiedKey(tmp.resolve("de-renewed")), "renewal keeps the key");

    Path wrongPin = Files.writeString(tmp.resolve("wrong.pin"), "0000\n");
    Run refused = issue(hsm, "de-wrong", wrongPin);
    assertEquals(1, refused.status);
    assertTrue(
        refused.err.startsWith("fedtrace: --token: wrong PIN for token 'fedtrace'"), refused.err);
    assertFalse(Files.exists(tmp.resolve("de-wrong")), "nothing written");
  }

  @Test
  void aTokenNeedsAPinFile() {
    Run r =
        run(
            "pki",
            "issue",
            "--ca",
            "ca",
            "--country",
            "DE",
            "--operator",
            "x",
            "--out",
            "o",
            "--token",
            "t");
    assertEquals(2, r.status);
    assertTrue(r.err.startsWith("fedtrace: --token needs --pin-file"), r.err);
  }
}
