package org.fedtrace.conformance.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rolling Proximity Identifiers of a key (spec §3.2), through the JDK's HMAC-SHA256 and AES, so the
 * suite can play a device that heard a diagnosed person without sharing code with the node under
 * test: {@code RPIK = HKDF-SHA256(TEK, no salt, "EN-RPIK", 16)} and {@code RPI_j = AES-128(RPIK,
 * "EN-RPI" ‖ 6 zero bytes ‖ LE32(ENIN_j))}. Checked against spec/testvectors/en_crypto_v1_2.json by
 * {@code SuiteCryptoVectorsTest}.
 */
public final class Rpis {
  private static final byte[] INFO_RPIK = "EN-RPIK".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RPI_LABEL = "EN-RPI".getBytes(StandardCharsets.US_ASCII);

  private Rpis() {}

  /** RPIK of the 16-byte key {@code tek}: RFC 5869 HKDF, absent salt = 32 zero bytes, L = 16. */
  public static byte[] rpik(byte[] tek) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(tek);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(INFO_RPIK);
      mac.update((byte) 1);
      return Arrays.copyOf(mac.doFinal(), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  /** The RPI of the key {@code tek} for interval {@code enin}. */
  public static byte[] rpi(byte[] tek, long enin) {
    byte[] padded = new byte[16];
    System.arraycopy(RPI_LABEL, 0, padded, 0, RPI_LABEL.length);
    for (int i = 0; i < 4; i++) {
      padded[12 + i] = (byte) (enin >>> (8 * i));
    }
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(rpik(tek), "AES"));
      return aes.doFinal(padded);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES", e);
    }
  }
}
