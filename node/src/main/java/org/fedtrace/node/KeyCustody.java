package org.fedtrace.node;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.crypto.pkcs11.Pkcs11Exception;
import org.fedtrace.crypto.pkcs11.Pkcs11Signer;
import org.fedtrace.node.config.Keys;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;

/**
 * Opens the batch-signing key where {@code keys.custody} says it is kept, the file {@value
 * PkiFiles#SIGNING_KEY} in the credentials folder or a PKCS#11 token, and checks that it is the key
 * of the batch-signing certificate: a node never signs what its certificate does not vouch for.
 */
final class KeyCustody {
  private KeyCustody() {}

  /**
   * The signer of the key that {@code certificate} certifies.
   *
   * @throws NodeStartException naming the file, the token or the key at fault
   */
  static Signer open(NodeConfig config, X509Certificate certificate) throws NodeStartException {
    VerifyingKey certified = VerifyingKey.fromPublicKey(certificate.getPublicKey());
    Path certificateFile = config.credentials().resolve(PkiFiles.SIGNING_CERTIFICATE);
    if (config.keys().custody() == Keys.Custody.FILE) {
      Path file = config.credentials().resolve(PkiFiles.SIGNING_KEY);
      SigningKey key;
      try {
        key = SigningKey.fromPrivateKey(Pem.readPrivateKey(file));
      } catch (IOException | IllegalArgumentException e) {
        throw new NodeStartException("credentials: cannot use " + file + ": " + e.getMessage());
      }
      if (!key.verifyingKey().equals(certified)) {
        throw new NodeStartException(
            "credentials: " + file + " is not the key of " + certificateFile);
      }
      return key;
    }
    return token(config.keys(), certified, certificateFile);
  }

  private static Signer token(Keys keys, VerifyingKey certified, Path certificateFile)
      throws NodeStartException {
    Pkcs11Signer signer;
    try {
      signer =
          Pkcs11Signer.open(
              keys.pkcs11Library(), keys.tokenLabel(), keys.pinFile(), keys.signingKeyLabel());
    } catch (Pkcs11Exception e) {
      throw new NodeStartException("keys: " + e.getMessage());
    }
    if (!signer.verifyingKey().equals(certified)) {
      signer.close();
      throw new NodeStartException(
          "keys: the key '"
              + keys.signingKeyLabel()
              + "' in token '"
              + keys.tokenLabel()
              + "' is not the key of the batch-signing certificate "
              + certificateFile
              + " (the token holds "
              + signer.verifyingKey()
              + ", the certificate names "
              + certified
              + ")");
    }
    return signer;
  }

  /** Releases {@code signer}: an HSM token is logged out of; a key in memory needs nothing. */
  static void close(Signer signer) {
    if (signer instanceof Pkcs11Signer token) {
      token.close();
    }
  }
}
