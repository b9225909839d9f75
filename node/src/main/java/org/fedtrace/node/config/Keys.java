package org.fedtrace.node.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the batch-signing key is kept (the {@code keys} section). With {@link Custody#FILE} the key
 * is {@code signing.key} in the credentials folder and the other settings are not used; with {@link
 * Custody#PKCS11} it lives in an HSM token and never leaves it.
 *
 * @param pkcs11Library the vendor's PKCS#11 module (a shared library)
 * @param tokenLabel the label of the token that holds the key
 * @param pinFile a file whose first line is the token user's PIN
 * @param signingKeyLabel the CKA_LABEL of the Ed25519 private key and its public key
 */
public record Keys(
    Custody custody, Path pkcs11Library, String tokenLabel, Path pinFile, String signingKeyLabel) {
  /** Where the key is kept. */
  public enum Custody {
    /** In {@code signing.key} (PKCS#8 PEM) in the credentials folder. */
    FILE,
    /** In a PKCS#11 token (an HSM), used through the vendor's module. */
    PKCS11
  }

  /** PKCS#11 labels are at most 32 bytes of UTF-8 (CK_TOKEN_INFO.label). */
  private static final int MAX_TOKEN_LABEL_BYTES = 32;

  /** The checks of the section; the PKCS#11 settings only when the key is in a token. */
  void check() throws InvalidConfigException {
    if (custody != Custody.PKCS11) {
      return;
    }
    if (tokenLabel.isBlank()
        || tokenLabel.getBytes(StandardCharsets.UTF_8).length > MAX_TOKEN_LABEL_BYTES) {
      throw new InvalidConfigException(
          "keys.tokenLabel: expected 1 to 32 bytes, got '" + tokenLabel + "'");
    }
    if (signingKeyLabel.isBlank()) {
      throw new InvalidConfigException("keys.signingKeyLabel: expected a label, got nothing");
    }
  }
}
