package org.fedtrace.pki;

import java.util.HexFormat;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.VerifyingKey;

/**
 * A health authority whose Ed25519 key signs upload authorizations, as listed in the federation
 * agreement.
 *
 * @param country the country whose diagnoses it authorizes (ISO 3166-1 alpha-2)
 * @param name its name, for people: 1 to 128 characters, no control characters
 * @param publicKey its Ed25519 key
 */
public record HealthAuthority(String country, String name, VerifyingKey publicKey) {
  private static final int MAX_NAME_LENGTH = 128;

  /**
   * @throws IllegalArgumentException if the country or name is invalid
   */
  public HealthAuthority {
    OperatorIdentity.requireCountry(country);
    if (name == null
        || name.isBlank()
        || name.length() > MAX_NAME_LENGTH
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "a health authority name is 1 to 128 characters without control characters");
    }
  }

  /** The key id: SHA-256 of the DER SubjectPublicKeyInfo of the key (32 bytes). */
  public byte[] keyId() {
    return Sha256.hash(publicKey.subjectPublicKeyInfo());
  }

  /** The key id in lower-case hex, as the agreement lists it. */
  public String keyIdHex() {
    return HexFormat.of().formatHex(keyId());
  }
}
