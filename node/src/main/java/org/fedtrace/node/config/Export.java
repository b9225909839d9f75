package org.fedtrace.node.config;

import java.nio.file.Path;
import org.fedtrace.export.ExportPolicy;

/**
 * Key exports for devices (the {@code export} section, spec §24): where the node keeps its export
 * directory current, the export-signing key and how phones name it, and the release policy.
 *
 * @param directory the directory a static web server serves, or null when the node exports nothing
 *     on its own ({@code fedtrace export} still writes on demand)
 * @param signingKey the ECDSA P-256 export-signing key (PKCS#8 PEM); not the batch-signing key
 * @param keyId the verification_key_id phones look the public key up by (e.g. the country's MCC)
 * @param keyVersion the verification_key_version, e.g. "v1"
 */
public record Export(
    Path directory, Path signingKey, String keyId, String keyVersion, ExportPolicy policy) {
  private static final String KEY_TEXT = "[A-Za-z0-9._-]{1,32}";

  /** The checks of the section. */
  void check() throws InvalidConfigException {
    if (!keyVersion.matches(KEY_TEXT)) {
      throw new InvalidConfigException(
          "export.keyVersion: expected 1 to 32 letters, digits, '.', '_' or '-', got '"
              + keyVersion
              + "'");
    }
    if (!keyId.isEmpty() && !keyId.matches(KEY_TEXT)) {
      throw new InvalidConfigException(
          "export.keyId: expected 1 to 32 letters, digits, '.', '_' or '-', got '" + keyId + "'");
    }
    if (directory != null && keyId.isEmpty()) {
      throw new InvalidConfigException(
          "export.keyId: required with export.directory: phones find the verification key by it");
    }
  }
}
