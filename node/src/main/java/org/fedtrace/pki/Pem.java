package org.fedtrace.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.fedtrace.crypto.CertificateKeys;

/**
 * PEM files (RFC 7468) of certificates ({@code CERTIFICATE}) and unencrypted PKCS#8 private keys
 * ({@code PRIVATE KEY}).
 *
 * <p>Files are only ever created, never overwritten. A private key file is created with owner-only
 * permissions ({@code rw-------}) in the same system call that creates it, so it is never readable
 * by others, not even for a moment.
 */
public final class Pem {
  /** Permissions of private key files. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String PRIVATE_KEY = "PRIVATE KEY";

  private Pem() {}

  /**
   * Reads a file holding exactly one certificate.
   *
   * @throws IOException if the file cannot be read or does not hold exactly one certificate
   */
  public static X509Certificate readCertificate(Path file) throws IOException {
    List<X509Certificate> certificates = readCertificates(file);
    if (certificates.size() != 1) {
      throw new IOException(file + ": expected one certificate, found " + certificates.size());
    }
    return certificates.get(0);
  }

  /**
   * Reads a file holding one or more certificates, in file order.
   *
   * @throws IOException if the file cannot be read, holds no certificate, or holds anything else
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject object : readObjects(file)) {
      if (!object.getType().equals(CERTIFICATE)) {
        throw new IOException(file + ": unexpected PEM block " + object.getType());
      }
      try {
        certificates.add(CertificateKeys.certificateFromDer(object.getContent()));
      } catch (CertificateException e) {
        throw new IOException(file + ": malformed certificate", e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + ": no PEM certificate");
    }
    return certificates;
  }

  /**
   * Reads a file holding one unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}).
   *
   * @throws IOException if the file cannot be read or does not hold exactly one such key
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    List<PemObject> objects = readObjects(file);
    if (objects.size() != 1 || !objects.get(0).getType().equals(PRIVATE_KEY)) {
      throw new IOException(file + ": expected one unencrypted PKCS#8 PEM block (PRIVATE KEY)");
    }
    byte[] der = objects.get(0).getContent();
    try {
      return CertificateKeys.privateKeyFromPkcs8(der);
    } catch (InvalidKeySpecException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Reads a file holding one DER SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}).
   *
   * @throws IOException if the file cannot be read or does not hold exactly one such block
   */
  public static byte[] readPublicKeyInfo(Path file) throws IOException {
    List<PemObject> objects = readObjects(file);
    if (objects.size() != 1 || !objects.get(0).getType().equals("PUBLIC KEY")) {
      throw new IOException(file + ": expected one PEM block PUBLIC KEY");
    }
    return objects.get(0).getContent();
  }

  /**
   * Creates {@code file} holding {@code certificates} in order.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   */
  public static void writeCertificates(Path file, X509Certificate... certificates)
      throws IOException {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        text.append(encode(CERTIFICATE, certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IOException("cannot encode " + certificate.getSubjectX500Principal(), e);
      }
    }
    create(file, text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Creates {@code file} holding {@code key} as PKCS#8, readable and writable by its owner only.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   * @throws IOException if the file system has no POSIX permissions, so the key could not be
   *     protected
   */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    byte[] der = key.getEncoded();
    byte[] text = encode(PRIVATE_KEY, der).getBytes(StandardCharsets.US_ASCII);
    try {
      create(file, text, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      throw new IOException(
          file + ": the file system cannot restrict permissions; refusing to write a private key",
          e);
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Creates {@code file} holding {@code key} as a SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   */
  public static void writePublicKey(Path file, java.security.PublicKey key) throws IOException {
    create(file, encode("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
  }

  /** The PEM text of one block. */
  static String encode(String type, byte[] der) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, der));
    }
    return text.toString();
  }

  private static List<PemObject> readObjects(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not a PEM file", e);
    }
    List<PemObject> objects = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(text))) {
      for (PemObject object = reader.readPemObject();
          object != null;
          object = reader.readPemObject()) {
        objects.add(object);
      }
    } catch (IOException | IllegalStateException e) {
      throw new IOException(file + ": malformed PEM", e);
    }
    return objects;
  }

  private static void create(Path file, byte[] content, FileAttribute<?>... attributes)
      throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }
}
