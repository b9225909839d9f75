package org.fedtrace.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.Pem;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SoftHSM2 token for tests, in a folder of its own: a configuration file whose token folder
 * is that folder, pointed at by {@code SOFTHSM2_CONF} in this process (SoftHSM reads it when the
 * module initializes, that is when the first signer on it opens) and in the {@code softhsm2-util}
 * processes that initialize the token and import keys. One token folder at a time per process:
 * close every signer of a test class before the next class makes its token.
 */
public final class SoftHsm {
  /** Where Debian's softhsm2 package puts the module. */
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  /** The PIN of the token's user. */
  public static final String PIN = "1234-fedtrace";

  private static final String SO_PIN = "5678-fedtrace";

  private final Path conf;
  private final String label;
  private final Path pinFile;

  private SoftHsm(Path conf, String label, Path pinFile) {
    this.conf = conf;
    this.label = label;
    this.pinFile = pinFile;
  }

  /** Skips the calling test, saying why, unless SoftHSM2 and softhsm2-util are installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isReadable(LIBRARY) && onPath("softhsm2-util"),
        "SoftHSM2 is not installed (no "
            + LIBRARY
            + " or softhsm2-util): apt-get install softhsm2 to run the PKCS#11 tests");
  }

  /**
   * A new token labelled {@code label} in {@code dir} with user PIN {@link #PIN}, written to a PIN
   * file beside it. Skips the test if SoftHSM2 is not installed.
   */
  public static SoftHsm create(Path dir, String label) throws IOException {
    assumeInstalled();
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(
        conf,
        "directories.tokendir = "
            + tokens.toAbsolutePath()
            + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
    LibC.INSTANCE.setenv("SOFTHSM2_CONF", conf.toAbsolutePath().toString(), 1);
    Path pinFile = dir.resolve("hsm.pin");
    Files.writeString(pinFile, PIN + "\n");
    SoftHsm hsm = new SoftHsm(conf, label, pinFile);
    hsm.util("--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN);
    return hsm;
  }

  /** The token's label. */
  public String label() {
    return label;
  }

  /** A file holding the user PIN (and a newline, as an editor leaves it). */
  public Path pinFile() {
    return pinFile;
  }

  /**
   * Imports {@code key} (Ed25519 or ECDSA, from PKCS#8) as a private key and its public key, both
   * labelled {@code keyLabel}, as an operator would move an existing key into an HSM.
   */
  public void importKey(PrivateKey key, String keyLabel) throws IOException {
    Path pem = conf.resolveSibling("import-" + keyLabel + ".pem");
    Pem.writePrivateKey(pem, key);
    try {
      util(
          "--import",
          pem.toString(),
          "--token",
          label,
          "--label",
          keyLabel,
          "--id",
          HexFormat.of().formatHex(keyLabel.getBytes(StandardCharsets.UTF_8)),
          "--pin",
          PIN);
    } finally {
      Files.delete(pem);
    }
  }

  private void util(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("softhsm2-util"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toAbsolutePath().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("softhsm2-util " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The C library, to set the environment the native module reads (Java cannot). */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }
}
