package org.fedtrace.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate the federation authority revoked before it expired, listed by serial number in the
 * agreement (spec §2.6): nodes refuse it for TLS and as a batch signer from the agreement version
 * that lists it on.
 *
 * @param serial the certificate's serial number, positive, at most 20 octets (RFC 5280 §4.1.2.2)
 * @param reason why it was revoked
 */
public record RevokedCertificate(BigInteger serial, Reason reason) {
  private static final Pattern HEX = Pattern.compile("[1-9a-f][0-9a-f]{0,39}");

  /** Why a certificate was revoked (the RFC 5280 CRL reasons an operator can have). */
  public enum Reason {
    /** Its private key was, or may have been, disclosed. */
    KEY_COMPROMISE("key_compromise"),
    /** A new certificate replaces it. */
    SUPERSEDED("superseded"),
    /** The operator stopped using it. */
    CESSATION_OF_OPERATION("cessation_of_operation");

    private final String json;

    Reason(String json) {
      this.json = json;
    }

    /** The name in agreement.json. */
    public String json() {
      return json;
    }

    /**
     * The reason named {@code json}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Reason fromJson(String json) {
      for (Reason r : values()) {
        if (r.json.equals(json)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "a revocation's reason must be key_compromise, superseded or cessation_of_operation,"
              + " got '"
              + json
              + "'");
    }
  }

  /**
   * @throws IllegalArgumentException if the serial is not positive or longer than 20 octets
   */
  public RevokedCertificate {
    Objects.requireNonNull(reason, "reason");
    if (serial.signum() <= 0 || serial.bitLength() > 160) {
      throw new IllegalArgumentException(
          "a revoked serial must be positive and at most 20 octets, got " + serial.toString(16));
    }
  }

  /** The revocation of {@code certificate}. */
  public static RevokedCertificate of(X509Certificate certificate, Reason reason) {
    return new RevokedCertificate(certificate.getSerialNumber(), reason);
  }

  /**
   * Parses a serial as agreement.json writes it: lower-case hexadecimal without leading zeros.
   *
   * @throws IllegalArgumentException if {@code hex} is not such a number of 1 to 40 digits
   */
  public static BigInteger parseSerial(String hex) {
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a revoked serial must be 1 to 40 lower-case hex digits without leading zeros, got '"
              + hex
              + "'");
    }
    return new BigInteger(hex, 16);
  }

  /** The serial as agreement.json writes it. */
  public String serialHex() {
    return serial.toString(16);
  }
}
