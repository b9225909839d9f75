package org.fedtrace.bench.baseline;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.MultiBlockCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.fedtrace.crypto.TokenDeriver;

/**
 * RPI derivation with Bouncy Castle's lightweight HKDF and AES engines.
 *
 * <p>Not used by fedtrace itself: it is the baseline that benchmarks measure {@link TokenDeriver}
 * against. Not thread-safe.
 */
public final class BouncyCastleTokenDeriver {
  private static final byte[] INFO_RPIK = "EN-RPIK".getBytes(StandardCharsets.US_ASCII);

  private final MultiBlockCipher aes = AESEngine.newInstance();
  private final byte[] rpik = new byte[TokenDeriver.TOKEN_LENGTH];

  /** Writes {@code count} RPIs from {@code startEnin} into {@code out} at {@code offset}. */
  public void deriveRpis(byte[] tek, int startEnin, int count, byte[] out, int offset) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(tek, null, INFO_RPIK));
    hkdf.generateBytes(rpik, 0, rpik.length);
    aes.init(true, new KeyParameter(rpik));
    for (int i = 0; i < count; i++) {
      byte[] in = TokenDeriver.paddedData(startEnin + i);
      aes.processBlock(in, 0, out, offset + i * TokenDeriver.TOKEN_LENGTH);
    }
  }
}
