package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.fedtrace.fuzz.Seeds;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.RuleViolation;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the Exposure Notification export reader as {@code keys gaen-export} uses it: decode
 * export.bin and export.sig, verify the signature, check the keys against fedtrace's key rules. The
 * input is a two-byte length of export.sig, export.sig, then export.bin. The only outcomes are a
 * decode error, a bad signature, key-rule violations or acceptance; any other exception is a
 * finding.
 */
public class GaenExportFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final BatchRules RULES = new BatchRules(14, 10_000);
  private static final KeyPair SERVER = serverKey();

  enum Outcome {
    UNDECODABLE,
    BAD_SIGNATURE,
    BROKE_KEY_RULES,
    ACCEPTED
  }

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void read(byte[] input) {
    run(input);
  }

  static Outcome run(byte[] input) {
    if (input.length < 2) {
      return Outcome.UNDECODABLE;
    }
    int sigLength = Math.min(((input[0] & 0xff) << 8) | (input[1] & 0xff), input.length - 2);
    byte[] sig = Arrays.copyOfRange(input, 2, 2 + sigLength);
    byte[] bin = Arrays.copyOfRange(input, 2 + sigLength, input.length);
    GaenExport export;
    try {
      export = GaenExport.parse(bin, sig, "fuzz.zip");
    } catch (IOException e) {
      return Outcome.UNDECODABLE;
    }
    try {
      export.verify(SERVER.getPublic());
    } catch (SignatureException e) {
      return Outcome.BAD_SIGNATURE;
    }
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    RULES.checkKeys(export.keys(), "keys", NOW, bad);
    return bad.isEmpty() ? Outcome.ACCEPTED : Outcome.BROKE_KEY_RULES;
  }

  @Test
  void aSignedExportIsAcceptedAndAChangedOneIsNot() throws Exception {
    long interval = NOW.getEpochSecond() / 600;
    byte[] bin = exportBin(interval - 144 * 3, interval - 144 * 2);
    byte[] input = input(sign(bin), bin);
    Seeds.offer(GaenExportFuzzTest.class, "read", "signed-export", input);
    assertEquals(Outcome.ACCEPTED, run(input));
    byte[] changed = bin.clone();
    changed[changed.length - 1] ^= 1;
    assertEquals(Outcome.BAD_SIGNATURE, run(input(sign(bin), changed)));
    byte[] tooOld = exportBin(interval - 144 * 40, interval - 144 * 30);
    assertEquals(Outcome.BROKE_KEY_RULES, run(input(sign(tooOld), tooOld)));
    assertEquals(Outcome.UNDECODABLE, run(new byte[] {0, 0, 'E', 'K'}));
  }

  private static byte[] input(byte[] sig, byte[] bin) {
    return ByteBuffer.allocate(2 + sig.length + bin.length)
        .putShort((short) sig.length)
        .put(sig)
        .put(bin)
        .array();
  }

  /** export.bin with two keys whose rolling periods start at the given intervals. */
  private static byte[] exportBin(long... starts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(GaenExport.HEADER);
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeFixed64(1, starts[0] * 600);
    o.writeFixed64(2, (starts[starts.length - 1] + 144) * 600);
    o.writeString(3, "DE");
    o.writeInt32(4, 1);
    o.writeInt32(5, 1);
    for (int i = 0; i < starts.length; i++) {
      ByteArrayOutputStream key = new ByteArrayOutputStream();
      CodedOutputStream k = CodedOutputStream.newInstance(key);
      byte[] data = new byte[16];
      data[0] = (byte) (i + 1);
      k.writeBytes(1, ByteString.copyFrom(data));
      k.writeInt32(2, 4);
      k.writeInt32(3, (int) starts[i]);
      k.writeInt32(4, 144);
      k.writeEnum(5, 1);
      k.flush();
      o.writeBytes(7, ByteString.copyFrom(key.toByteArray()));
    }
    o.flush();
    return out.toByteArray();
  }

  /** export.sig: a TEKSignatureList of one signature over {@code bin}. */
  private static byte[] sign(byte[] bin) throws GeneralSecurityException, IOException {
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(SERVER.getPrivate());
    s.update(bin);
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(one);
    o.writeBytes(4, ByteString.copyFrom(s.sign()));
    o.flush();
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    CodedOutputStream l = CodedOutputStream.newInstance(list);
    l.writeBytes(1, ByteString.copyFrom(one.toByteArray()));
    l.flush();
    return list.toByteArray();
  }

  /** A fixed P-256 test key, so that seeds signed once keep verifying in every run. */
  private static KeyPair serverKey() {
    String pkcs8 =
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPPVNyYXKzqMDtE1H7QDV7EmeudZxpK25TyQQ"
            + "QkEAXAChRANCAAQjc4vNahX6/yYIVHVLKhrcCkmaFGaS3XV4njTEi/fFHbmsAN54PVeFerb+CqI4Ct8z"
            + "IK6uYkY3rPGB87HoMxAr";
    String spki =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEI3OLzWoV+v8mCFR1Syoa3ApJmhRmkt11eJ40xIv3xR25rADe"
            + "eD1XhXq2/gqiOArfMyCurmJGN6zxgfOx6DMQKw==";
    try {
      KeyFactory f = KeyFactory.getInstance("EC");
      Base64.Decoder b64 = Base64.getDecoder();
      return new KeyPair(
          f.generatePublic(new X509EncodedKeySpec(b64.decode(spki))),
          f.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(pkcs8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
