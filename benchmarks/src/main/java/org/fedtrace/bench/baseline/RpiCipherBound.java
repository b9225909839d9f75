package org.fedtrace.bench.baseline;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.fedtrace.crypto.TokenDeriver;

/**
 * The AES part of RPI derivation alone: the padded data of 144 consecutive intervals encrypted
 * under one fixed RPIK whose key schedule was computed once, in one multi-block JCE call.
 *
 * <p>Benchmark only. It is what {@link TokenDeriver#deriveRpis} would reach if the HKDF and the AES
 * key setup of each key cost nothing: the limit of JCE RPI derivation on the machine, against which
 * a benchmark shows how much of the per-key overhead is left. fedtrace never uses it. Not
 * thread-safe.
 */
public final class RpiCipherBound {
  private final Cipher ecb;
  private final byte[] padded =
      new byte[TokenDeriver.MAX_ROLLING_PERIOD * TokenDeriver.TOKEN_LENGTH];

  /** Prepares the 144 intervals from {@code startEnin} under {@code rpik} (16 bytes). */
  public RpiCipherBound(byte[] rpik, int startEnin) {
    try {
      ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(rpik, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a 16-byte AES key", e);
    }
    for (int i = 0; i < TokenDeriver.MAX_ROLLING_PERIOD; i++) {
      byte[] block = TokenDeriver.paddedData(startEnin + i);
      System.arraycopy(block, 0, padded, i * TokenDeriver.TOKEN_LENGTH, block.length);
    }
  }

  /** Writes the 144 RPIs into {@code out} at {@code offset}, reusing the key schedule. */
  public void encrypt(byte[] out, int offset) {
    try {
      ecb.doFinal(padded, 0, padded.length, out, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128-ECB failed on whole blocks", e);
    }
  }
}
