package org.fedtrace.conformance.kit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM files of a test kit: certificates and PKCS#8 private keys (EC or Ed25519). */
public final class Pem {
  private Pem() {}

  /**
   * Reads the first certificate of a PEM file.
   *
   * @throws IOException if the file is missing or holds no certificate
   */
  public static X509Certificate readCertificate(Path file) throws IOException {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      return (X509Certificate)
          f.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a PKCS#8 private key, trying the key types fedtrace uses.
   *
   * @throws IOException if the file is missing or holds no usable key
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = body(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file);
    for (String algorithm : List.of("EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next key type
      }
    }
    throw new IOException(file + ": not an EC or Ed25519 PKCS#8 private key");
  }

  /** Writes a certificate. */
  public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    try {
      write(file, "CERTIFICATE", certificate.getEncoded(), false);
    } catch (CertificateException e) {
      throw new IOException("cannot encode a certificate", e);
    }
  }

  /** Writes a private key, owner-only (rw-------) from its creation. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    write(file, "PRIVATE KEY", key.getEncoded(), true);
  }

  /** Writes a public key (DER SubjectPublicKeyInfo). */
  public static void writePublicKey(Path file, byte[] spki) throws IOException {
    write(file, "PUBLIC KEY", spki, false);
  }

  private static void write(Path file, String type, byte[] der, boolean secret) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    String text =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    if (secret) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
    } else {
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    }
  }

  private static byte[] body(String pem, String type, Path file) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + ": no " + type + " block");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": bad base64 in the " + type + " block", e);
    }
  }
}
