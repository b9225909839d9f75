package org.fedtrace.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.pki.Pem;

/**
 * The export-signing key: an ECDSA P-256 key in a PKCS#8 PEM file that the operator keeps, whose
 * public key the app's operator registers with Apple and Google. It is not the batch-signing key
 * (Ed25519, certified by the federation authority): phones know nothing of the federation.
 */
public final class ExportKeys {
  private ExportKeys() {}

  /**
   * The signer of the key in {@code pem}.
   *
   * @throws IOException if the file cannot be read or holds no ECDSA P-256 private key
   */
  public static GaenExportWriter.ExportSigner load(Path pem) throws IOException {
    PrivateKey key = Pem.readPrivateKey(pem);
    try {
      CertificateKeyType.ECDSA_P256.sign(key, new byte[0]);
    } catch (IllegalArgumentException e) {
      throw new IOException(pem + ": expected an ECDSA P-256 private key", e);
    }
    return bin -> CertificateKeyType.ECDSA_P256.sign(key, bin);
  }

  /** Where {@link #generate} writes the public key of {@code keyFile}: beside it, {@code .pub}. */
  public static Path publicKeyFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
  }

  /**
   * Creates a fresh key in {@code keyFile} (owner-only) and its public key (PEM) beside it.
   *
   * @throws java.nio.file.FileAlreadyExistsException if either file exists: a key is never
   *     overwritten
   */
  public static void generate(Path keyFile, SecureRandom random) throws IOException {
    if (Files.exists(publicKeyFile(keyFile))) {
      throw new java.nio.file.FileAlreadyExistsException(publicKeyFile(keyFile).toString());
    }
    KeyPair pair = CertificateKeyType.ECDSA_P256.generate(random);
    Pem.writePrivateKey(keyFile, pair.getPrivate());
    Pem.writePublicKey(publicKeyFile(keyFile), pair.getPublic());
  }
}
