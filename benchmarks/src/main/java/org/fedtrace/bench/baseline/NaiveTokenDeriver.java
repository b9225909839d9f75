package org.fedtrace.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedtrace.crypto.TokenDeriver;

/**
 * RPI derivation as a careless implementation writes it: for every single RPI, new JCE {@link Mac}
 * and {@link Cipher} objects, a fresh HKDF of the RPIK and a fresh AES key schedule.
 *
 * <p>Baseline only: benchmarks measure {@link TokenDeriver} against it to show what reusing the
 * primitives and deriving the RPIK once per key is worth. fedtrace never uses it. Its output equals
 * {@link TokenDeriver#deriveRpis}'s.
 */
public final class NaiveTokenDeriver {
  private static final byte[] INFO_RPIK = "EN-RPIK".getBytes(StandardCharsets.US_ASCII);

  /** Writes {@code count} RPIs from {@code startEnin} into {@code out} at {@code offset}. */
  public void deriveRpis(byte[] tek, int startEnin, int count, byte[] out, int offset) {
    for (int i = 0; i < count; i++) {
      byte[] rpi = rpi(tek, startEnin + i);
      System.arraycopy(rpi, 0, out, offset + i * TokenDeriver.TOKEN_LENGTH, rpi.length);
    }
  }

  private static byte[] rpi(byte[] tek, int enin) {
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = extract.doFinal(tek);
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update(INFO_RPIK);
      expand.update((byte) 1);
      byte[] rpik = Arrays.copyOf(expand.doFinal(), TokenDeriver.TOKEN_LENGTH);
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(rpik, "AES"));
      return aes.doFinal(TokenDeriver.paddedData(enin));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256 or AES", e);
    }
  }
}
