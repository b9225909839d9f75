package org.fedtrace.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the tokens of the Exposure Notification cryptography v1.2 from a Temporary Exposure Key:
 * the Rolling Proximity Identifier Key (RPIK), the Rolling Proximity Identifiers (RPIs), the
 * Associated Encrypted Metadata Key (AEMK) and the Associated Encrypted Metadata (AEM).
 *
 * <pre>
 * RPIK  = HKDF-SHA256(IKM = TEK, salt = none, info = "EN-RPIK", L = 16)
 * RPI_j = AES-128(RPIK, "EN-RPI" || 0x000000000000 || LE32(ENIN_j))
 * AEMK  = HKDF-SHA256(IKM = TEK, salt = none, info = "EN-AEMK", L = 16)
 * AEM   = AES-128-CTR(AEMK, IV = RPI, metadata)
 * </pre>
 *
 * <p>An instance keeps its JCE {@link Mac} and {@link Cipher} for reuse, which is what makes
 * derivation fast; it is therefore not thread-safe. Use one instance per thread.
 */
public final class TokenDeriver {
  /** Length of an RPI, RPIK and AEMK in bytes. */
  public static final int TOKEN_LENGTH = 16;

  /** Intervals in a full day: the most RPIs one key yields. */
  public static final int MAX_ROLLING_PERIOD = 144;

  private static final byte[] INFO_RPIK = "EN-RPIK".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO_AEMK = "EN-AEMK".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RPI_PREFIX = "EN-RPI".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HKDF_EMPTY_SALT = new byte[32];

  private final Mac extract;
  private final Mac expand;
  private final Cipher ecb;
  private final byte[] padded = new byte[MAX_ROLLING_PERIOD * TOKEN_LENGTH];
  private final byte[] prk = new byte[32];
  private final byte[] block = new byte[32];

  private TokenDeriver() {
    try {
      extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(HKDF_EMPTY_SALT, "HmacSHA256"));
      expand = Mac.getInstance("HmacSHA256");
      ecb = Cipher.getInstance("AES/ECB/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256 or AES", e);
    }
    for (int i = 0; i < MAX_ROLLING_PERIOD; i++) {
      System.arraycopy(RPI_PREFIX, 0, padded, i * TOKEN_LENGTH, RPI_PREFIX.length);
    }
  }

  /** A new deriver, to be used by one thread. */
  public static TokenDeriver create() {
    return new TokenDeriver();
  }

  /** The 16-byte AES input for interval {@code enin}: "EN-RPI", six zero bytes, LE32(enin). */
  public static byte[] paddedData(int enin) {
    byte[] out = new byte[TOKEN_LENGTH];
    System.arraycopy(RPI_PREFIX, 0, out, 0, RPI_PREFIX.length);
    writeIntLe(out, 12, enin);
    return out;
  }

  /** RPIK of {@code tek}. */
  public byte[] rpik(TemporaryExposureKey tek) {
    byte[] out = new byte[TOKEN_LENGTH];
    hkdf(tek.rawBytes(), INFO_RPIK, out);
    return out;
  }

  /** AEMK of {@code tek}. */
  public byte[] aemk(TemporaryExposureKey tek) {
    byte[] out = new byte[TOKEN_LENGTH];
    hkdf(tek.rawBytes(), INFO_AEMK, out);
    return out;
  }

  /** The RPI of {@code tek} for interval {@code enin}. */
  public byte[] rpi(TemporaryExposureKey tek, int enin) {
    byte[] out = new byte[TOKEN_LENGTH];
    deriveRpis(tek.rawBytes(), enin, 1, out, 0);
    return out;
  }

  /**
   * Writes the RPIs of intervals {@code startEnin .. startEnin + count - 1} into {@code out}, 16
   * bytes each, starting at {@code offset}. This is the hot path of matching: one HKDF, one AES key
   * schedule and one multi-block AES call per key.
   *
   * @param tek the 16 key bytes (not copied, not kept)
   * @param count 1..144
   */
  public void deriveRpis(byte[] tek, int startEnin, int count, byte[] out, int offset) {
    if (tek.length != TemporaryExposureKey.LENGTH) {
      throw new IllegalArgumentException("a temporary exposure key is 16 bytes");
    }
    if (count < 1 || count > MAX_ROLLING_PERIOD) {
      throw new IllegalArgumentException("count must be in 1..144, got " + count);
    }
    byte[] rpik = new byte[TOKEN_LENGTH];
    hkdf(tek, INFO_RPIK, rpik);
    for (int i = 0; i < count; i++) {
      writeIntLe(padded, i * TOKEN_LENGTH + 12, startEnin + i);
    }
    try {
      ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(rpik, "AES"));
      ecb.doFinal(padded, 0, count * TOKEN_LENGTH, out, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128 failed on a 16-byte key", e);
    }
  }

  /** AEM: the BLE metadata of {@code tek} encrypted under its AEMK with the RPI as IV. */
  public byte[] aem(TemporaryExposureKey tek, byte[] rpi, byte[] metadata) {
    if (rpi.length != TOKEN_LENGTH) {
      throw new IllegalArgumentException("an RPI is 16 bytes");
    }
    try {
      Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
      ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aemk(tek), "AES"), new IvParameterSpec(rpi));
      return ctr.doFinal(metadata);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128-CTR failed", e);
    }
  }

  /** HKDF-SHA256 with an empty salt and a single output block, truncated to out.length. */
  private void hkdf(byte[] ikm, byte[] info, byte[] out) {
    try {
      extract.update(ikm);
      extract.doFinal(prk, 0);
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update(info);
      expand.update((byte) 1);
      expand.doFinal(block, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
    System.arraycopy(block, 0, out, 0, out.length);
  }

  private static void writeIntLe(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
