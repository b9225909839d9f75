package org.fedtrace.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file names of the PKI and the all-or-nothing creation of its directories.
 *
 * <p>A federation authority directory holds {@value #CA_CERTIFICATE}, {@value #CA_KEY}, {@value
 * #AGREEMENT} and {@value #AGREEMENT_SIGNATURE}. An operator directory holds {@value
 * #TLS_CERTIFICATE}, {@value #TLS_KEY}, {@value #SIGNING_CERTIFICATE}, {@value #SIGNING_KEY}, and
 * copies of {@value #CA_CERTIFICATE}, {@value #AGREEMENT} and {@value #AGREEMENT_SIGNATURE}.
 */
public final class PkiFiles {
  /** The federation authority's self-signed certificate (PEM): every node's trust anchor. */
  public static final String CA_CERTIFICATE = "ca.crt";

  /** The federation authority's ECDSA P-256 private key (PKCS#8 PEM, rw-------). */
  public static final String CA_KEY = "ca.key";

  /** The federation agreement (JSON). */
  public static final String AGREEMENT = "agreement.json";

  /** Base64 of the authority's DER ECDSA signature over the exact bytes of the agreement. */
  public static final String AGREEMENT_SIGNATURE = "agreement.json.sig";

  /** The operator's TLS certificate (PEM): clientAuth and serverAuth. */
  public static final String TLS_CERTIFICATE = "tls.crt";

  /** The operator's TLS ECDSA P-256 private key (PKCS#8 PEM, rw-------). */
  public static final String TLS_KEY = "tls.key";

  /** The operator's batch-signing certificate (PEM). */
  public static final String SIGNING_CERTIFICATE = "signing.crt";

  /** The operator's batch-signing Ed25519 private key (PKCS#8 PEM, rw-------). */
  public static final String SIGNING_KEY = "signing.key";

  private PkiFiles() {}

  /**
   * Creates an empty owner-only ({@code rwx------}) directory next to {@code target}, in which a
   * directory's files are written before {@link #publish} gives it its final name.
   *
   * @throws FileAlreadyExistsException if {@code target} exists
   */
  public static Path stage(Path target) throws IOException {
    requireAbsent(target);
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return Files.createTempDirectory(
        parent,
        "." + target.getFileName() + ".",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * Renames the staged directory to {@code target} in one step, so that {@code target} appears
   * complete or not at all.
   *
   * @throws FileAlreadyExistsException if {@code target} exists
   */
  public static void publish(Path staged, Path target) throws IOException {
    requireAbsent(target);
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Deletes a staged directory and its files, after a failure. */
  public static void discard(Path staged) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(staged)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }

  private static void requireAbsent(Path target) throws FileAlreadyExistsException {
    if (Files.exists(target) || Files.isSymbolicLink(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "already exists");
    }
  }
}
