package org.fedtrace.crypto.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.testing.SoftHsm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pkcs11Signer} against a real SoftHSM2 token, made fresh for this class: keys generated in
 * the token or imported into it sign what the project's verifier accepts, from many threads; every
 * way of pointing at the wrong thing fails with a message that names it. Skipped when SoftHSM2 is
 * not installed.
 */
class Pkcs11SignerTest {
  private static final String TOKEN = "pkcs11-signer-test";
  private static final byte[] MESSAGE =
      "a batch's canonical bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  private static SoftHsm hsm;

  @BeforeAll
  static void makeToken() throws Exception {
    hsm = SoftHsm.create(dir, TOKEN);
    try (Pkcs11Token token = Pkcs11Token.login(SoftHsm.LIBRARY, TOKEN, hsm.pinFile())) {
      token.generateEd25519("generated");
    }
  }

  private static Pkcs11Signer open(String keyLabel) throws Pkcs11Exception {
    return Pkcs11Signer.open(SoftHsm.LIBRARY, TOKEN, hsm.pinFile(), keyLabel);
  }

  private static String refusal(String tokenLabel, Path pinFile, String keyLabel) {
    return assertThrows(
            Pkcs11Exception.class,
            () -> Pkcs11Signer.open(SoftHsm.LIBRARY, tokenLabel, pinFile, keyLabel).close())
        .getMessage();
  }

  @Test
  void aKeyGeneratedInTheTokenSignsWhatTheVerifierAccepts() throws Exception {
    try (Pkcs11Signer signer = open("generated")) {
      byte[] signature = signer.sign(MESSAGE);
      assertEquals(SigningKey.SIGNATURE_LENGTH, signature.length);
      signer.verifyingKey().verify(MESSAGE, signature);
      byte[] other = "another batch".getBytes(StandardCharsets.UTF_8);
      assertThrows(SignatureException.class, () -> signer.verifyingKey().verify(other, signature));
    }
  }

  @Test
  void anImportedKeySignsExactlyAsTheSameKeyInMemory() throws Exception {
    SigningKey inMemory = SigningKey.generate(new SecureRandom());
    hsm.importKey(pkcs8(inMemory), "imported");
    try (Pkcs11Signer signer = open("imported")) {
      assertEquals(inMemory.verifyingKey(), signer.verifyingKey());
      // Ed25519 is deterministic (RFC 8032): same key, same message, same 64 bytes
      assertArrayEquals(inMemory.sign(MESSAGE), signer.sign(MESSAGE));
    }
  }

  @Test
  void signsFromManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Pkcs11Signer signer = open("generated")) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    byte[] m = ("message " + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                    signer.verifyingKey().verify(m, signer.sign(m));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aWrongPinIsNamedAndNeverShown() throws Exception {
    Path wrong = dir.resolve("wrong.pin");
    Files.writeString(wrong, "0000-not-it\n");
    String message = refusal(TOKEN, wrong, "generated");
    assertEquals("wrong PIN for token '" + TOKEN + "' (CKR_PIN_INCORRECT)", message);
  }

  @Test
  void anUnknownTokenIsNamedWithTheTokensPresent() {
    String message = refusal("no-such-token", hsm.pinFile(), "generated");
    assertEquals(
        "no token labelled 'no-such-token' in "
            + SoftHsm.LIBRARY
            + " (tokens present: ['"
            + TOKEN
            + "'])",
        message);
  }

  @Test
  void aMissingKeyIsNamed() {
    assertEquals(
        "no private key labelled 'absent' in token '" + TOKEN + "'",
        refusal(TOKEN, hsm.pinFile(), "absent"));
  }

  @Test
  void anEcdsaKeyIsRefusedAsNotEd25519() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    hsm.importKey(ec.generateKeyPair().getPrivate(), "ecdsa");
    assertEquals(
        "key 'ecdsa' in token '" + TOKEN + "' is not an Ed25519 key: its CKA_KEY_TYPE is 0x3",
        refusal(TOKEN, hsm.pinFile(), "ecdsa"));
  }

  @Test
  void aMissingLibraryOrPinFileIsNamed() {
    Path nowhere = dir.resolve("nowhere.so");
    assertEquals(
        "PKCS#11 library " + nowhere + " does not exist or is unreadable",
        assertThrows(
                Pkcs11Exception.class,
                () -> Pkcs11Signer.open(nowhere, TOKEN, hsm.pinFile(), "generated"))
            .getMessage());
    String missing = refusal(TOKEN, dir.resolve("absent.pin"), "generated");
    assertTrue(
        missing.startsWith("cannot read the PIN file " + dir.resolve("absent.pin")), missing);
  }

  @Test
  void anEmptyPinFileIsNamed() throws Exception {
    Path empty = dir.resolve("empty.pin");
    Files.writeString(empty, "\n");
    assertEquals("the PIN file " + empty + " is empty", refusal(TOKEN, empty, "generated"));
  }

  @Test
  void generatingRefusesALabelInUse() throws Exception {
    try (Pkcs11Token token = Pkcs11Token.login(SoftHsm.LIBRARY, TOKEN, hsm.pinFile())) {
      Pkcs11Exception e =
          assertThrows(Pkcs11Exception.class, () -> token.generateEd25519("generated"));
      assertEquals(
          "token '" + TOKEN + "' already holds a key labelled 'generated'", e.getMessage());
    }
  }

  @Test
  void aClosedSignerRefusesToSign() throws Exception {
    Pkcs11Signer signer = open("generated");
    signer.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> signer.sign(MESSAGE));
    assertEquals("the signer of key 'generated' is closed", e.getMessage());
  }

  /** The JDK private key of {@code key}, as it would be read from signing.key. */
  private static java.security.PrivateKey pkcs8(SigningKey key) throws Exception {
    byte[] prefix = HexFormat.of().parseHex("302e020100300506032b657004220420");
    byte[] seed = key.seed().toByteArray();
    byte[] der = new byte[prefix.length + seed.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(seed, 0, der, prefix.length, seed.length);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
