package org.fedtrace.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedtrace.crypto.TokenDeriver;

/**
 * RPI derivation written the obvious way: new JCE objects for every key (HKDF) and a new {@link
 * Cipher} for every RPI. Correct but slow; it is the naive baseline the matching benchmarks measure
 * the engine against, and is not used by fedtrace otherwise. Thread-safe (it keeps no state).
 */
public final class NaiveRpiDeriver {
  private static final byte[] INFO_RPIK = "EN-RPIK".getBytes(StandardCharsets.US_ASCII);

  private NaiveRpiDeriver() {}

  /** RPIK = HKDF-SHA256(tek, no salt, "EN-RPIK", 16 bytes). */
  public static byte[] rpik(byte[] tek) {
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = extract.doFinal(tek);
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update(INFO_RPIK);
      expand.update((byte) 1);
      byte[] okm = expand.doFinal();
      byte[] rpik = new byte[TokenDeriver.TOKEN_LENGTH];
      System.arraycopy(okm, 0, rpik, 0, rpik.length);
      return rpik;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }

  /** RPI for interval {@code enin} under {@code rpik}, with a fresh AES cipher. */
  public static byte[] rpi(byte[] rpik, int enin) {
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(rpik, "AES"));
      return aes.doFinal(TokenDeriver.paddedData(enin));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128 failed", e);
    }
  }
}
