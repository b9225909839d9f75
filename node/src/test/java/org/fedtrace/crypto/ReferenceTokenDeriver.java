package org.fedtrace.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * RPI derivation written as plainly as possible, to check {@link TokenDeriver} against: Bouncy
 * Castle's lightweight HKDF and AES engines (independent of the JCE path the node uses) and the
 * padded data built here from the specification's words, not taken from the node.
 */
public final class ReferenceTokenDeriver {
  private ReferenceTokenDeriver() {}

  /**
   * The RPIs of {@code tek} for intervals {@code startEnin .. startEnin + count - 1}, 16 bytes
   * each.
   */
  public static byte[] rpis(byte[] tek, int startEnin, int count) {
    byte[] rpik = new byte[16];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(tek, null, "EN-RPIK".getBytes(US_ASCII)));
    hkdf.generateBytes(rpik, 0, rpik.length);
    BlockCipher aes = AESEngine.newInstance();
    aes.init(true, new KeyParameter(rpik));
    byte[] out = new byte[count * 16];
    for (int i = 0; i < count; i++) {
      aes.processBlock(paddedData(startEnin + i), 0, out, i * 16);
    }
    return out;
  }

  /** "EN-RPI", six zero bytes, the interval number as a little-endian 32-bit integer. */
  private static byte[] paddedData(int enin) {
    ByteBuffer b = ByteBuffer.allocate(16).put("EN-RPI".getBytes(US_ASCII));
    return b.position(12).order(ByteOrder.LITTLE_ENDIAN).putInt(enin).array();
  }
}
