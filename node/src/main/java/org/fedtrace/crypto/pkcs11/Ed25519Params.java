package org.fedtrace.crypto.pkcs11;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.fedtrace.crypto.VerifyingKey;

/**
 * How PKCS#11 spells an Ed25519 public key: the curve in CKA_EC_PARAMS (the OID 1.3.101.112 of RFC
 * 8410, or the PKCS#11 3.0 curve name "edwards25519" as a PrintableString) and the 32-byte point in
 * CKA_EC_POINT (as a DER OCTET STRING, as most modules return it, or raw).
 */
final class Ed25519Params {
  /** DER of the OID id-Ed25519, 1.3.101.112. */
  static final byte[] OID = HexFormat.of().parseHex("06032b6570");

  /** DER of the PrintableString "edwards25519". */
  static final byte[] NAME = name("edwards25519");

  private Ed25519Params() {}

  /** Whether {@code ecParams} names the Ed25519 curve. */
  static boolean isEd25519(byte[] ecParams) {
    return Arrays.equals(ecParams, OID) || Arrays.equals(ecParams, NAME);
  }

  /**
   * The Ed25519 key whose CKA_EC_POINT is {@code ecPoint}.
   *
   * @throws IllegalArgumentException if it is neither 32 bytes nor a DER OCTET STRING of 32 bytes
   */
  static VerifyingKey verifyingKey(byte[] ecPoint) {
    if (ecPoint.length == VerifyingKey.LENGTH + 2
        && ecPoint[0] == 0x04
        && ecPoint[1] == VerifyingKey.LENGTH) {
      return VerifyingKey.ofRaw(Arrays.copyOfRange(ecPoint, 2, ecPoint.length));
    }
    return VerifyingKey.ofRaw(ecPoint);
  }

  private static byte[] name(String curve) {
    byte[] ascii = curve.getBytes(StandardCharsets.US_ASCII);
    byte[] der = new byte[ascii.length + 2];
    der[0] = 0x13;
    der[1] = (byte) ascii.length;
    System.arraycopy(ascii, 0, der, 2, ascii.length);
    return der;
  }
}
