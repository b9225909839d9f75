package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.crypto.pkcs11.Pkcs11Token;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.testing.SoftHsm;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.Checkpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose batch-signing key is kept in a PKCS#11 token ({@code keys.custody: pkcs11}): it
 * signs its batches and checkpoints there, with no signing.key on disk, and refuses to start on a
 * token key that its batch-signing certificate does not certify, or on a wrong PIN. Runs against a
 * fresh SoftHSM2 token; skipped when SoftHSM2 is not installed.
 */
class KeyCustodyTest {
  private static final String TOKEN = "node-custody-test";

  @TempDir static Path hsmDir;
  private static SoftHsm hsm;

  @TempDir Path dir;

  @BeforeAll
  static void makeToken() throws Exception {
    hsm = SoftHsm.create(hsmDir, TOKEN);
  }

  private static String keys(String keyLabel, Path pinFile) {
    return "keys:\n  custody: pkcs11\n  pkcs11Library: "
        + SoftHsm.LIBRARY
        + "\n  tokenLabel: "
        + TOKEN
        + "\n  pinFile: "
        + pinFile
        + "\n  signingKeyLabel: "
        + keyLabel
        + "\n";
  }

  @Test
  void aNodeWithItsKeyInTheTokenSignsBatchesAndCheckpointsThatVerify() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f =
        TestFederation.create(dir, clock, "DE")
            .withoutBackgroundWork()
            .withConfig(keys("de-signing", hsm.pinFile()));
    try {
      OperatorCredentials de = f.credentials("DE");
      hsm.importKey(de.signing().privateKey(), "de-signing");
      f.configure("DE");
      Files.delete(f.dir("DE").resolve(PkiFiles.SIGNING_KEY));
      f.startNode("DE");
      f.upload("DE", new TestBatches(21, clock.instant()).keys(3, 13));
      assertEquals(1, f.node("DE").publishDue(true));
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      VerifyingKey certified =
          VerifyingKey.fromPublicKey(de.signing().certificate().getPublicKey());
      BatchSigner.verify(own, certified);
      Checkpoints.verify(f.node("DE").transparencyLog().checkpoint(), certified);
    } finally {
      f.close();
    }
  }

  @Test
  void aTokenKeyThatTheCertificateDoesNotCertifyStopsTheNode() throws Exception {
    try (Pkcs11Token token = Pkcs11Token.login(SoftHsm.LIBRARY, TOKEN, hsm.pinFile())) {
      token.generateEd25519("stranger");
    }
    TestFederation f =
        TestFederation.create(dir, Clock.systemUTC(), "FR")
            .withConfig(keys("stranger", hsm.pinFile()));
    try {
      NodeStartException e = assertThrows(NodeStartException.class, () -> f.startNode("FR"));
      String expected =
          "keys: the key 'stranger' in token '"
              + TOKEN
              + "' is not the key of the batch-signing certificate "
              + f.dir("FR").resolve(PkiFiles.SIGNING_CERTIFICATE);
      assertTrue(e.getMessage().startsWith(expected), e.getMessage());
      assertFalse(Files.exists(f.dir("FR").resolve("data")), "no store opened");
    } finally {
      f.close();
    }
  }

  @Test
  void aWrongPinStopsTheNodeNamingTheSection() throws Exception {
    Path wrong = dir.resolve("wrong.pin");
    Files.createDirectories(dir);
    Files.writeString(wrong, "not-the-pin\n");
    TestFederation f =
        TestFederation.create(dir, Clock.systemUTC(), "BE").withConfig(keys("any", wrong));
    try {
      NodeStartException e = assertThrows(NodeStartException.class, () -> f.startNode("BE"));
      assertEquals("keys: wrong PIN for token '" + TOKEN + "' (CKR_PIN_INCORRECT)", e.getMessage());
    } finally {
      f.close();
    }
  }
}
