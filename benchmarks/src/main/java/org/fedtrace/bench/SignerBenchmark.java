package org.fedtrace.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.crypto.pkcs11.Pkcs11Exception;
import org.fedtrace.crypto.pkcs11.Pkcs11Signer;
import org.fedtrace.crypto.pkcs11.Pkcs11Token;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 signatures per second through the {@link Signer} seam: the key in memory ({@link
 * SigningKey}, Bouncy Castle) against the key in a SoftHSM2 token ({@link Pkcs11Signer}, CKM_EDDSA
 * through JNA). Run with {@code -t 1} for the figure per core and {@code -t 2} to see whether the
 * token's signing scales with threads; both signers are shared by the threads, as in a node.
 *
 * <p>{@code messageBytes} 100 is the size of a checkpoint's signed note; 32768 that of a batch of
 * about a thousand keys (Ed25519 hashes the message twice, so long messages cost more). The token
 * is made fresh in a temporary folder by {@code softhsm2-util} (package softhsm2), and the key is
 * generated inside it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SignerBenchmark {
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String TOKEN = "fedtrace-bench";
  private static final String PIN = "1234-bench";

  @Param({"100", "32768"})
  int messageBytes;

  private byte[] message;
  private SigningKey inMemory;
  private Pkcs11Signer softHsm;
  private Path folder;

  /** Draws the message, a key in memory, and a fresh SoftHSM2 token with a key generated in it. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, Pkcs11Exception, InterruptedException {
    message = new byte[messageBytes];
    new SplittableRandom(20_260_102L).nextBytes(message);
    inMemory = SigningKey.generate(new SecureRandom());
    folder = Files.createTempDirectory("fedtrace-softhsm-bench");
    Path conf = folder.resolve("softhsm2.conf");
    Files.createDirectories(folder.resolve("tokens"));
    Files.writeString(
        conf,
        "directories.tokendir = " + folder.resolve("tokens") + "\nobjectstore.backend = file\n");
    LibC.INSTANCE.setenv("SOFTHSM2_CONF", conf.toString(), 1);
    ProcessBuilder init =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                TOKEN,
                "--pin",
                PIN,
                "--so-pin",
                PIN)
            .inheritIO();
    init.environment().put("SOFTHSM2_CONF", conf.toString());
    if (init.start().waitFor() != 0) {
      throw new IllegalStateException("softhsm2-util could not make a token (apt-get softhsm2?)");
    }
    Path pin = folder.resolve("pin");
    Files.writeString(pin, PIN, StandardCharsets.US_ASCII);
    try (Pkcs11Token token = Pkcs11Token.login(LIBRARY, TOKEN, pin)) {
      token.generateEd25519("bench");
    }
    softHsm = Pkcs11Signer.open(LIBRARY, TOKEN, pin, "bench");
  }

  /** Logs out and deletes the token's folder. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    softHsm.close();
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The key in memory: the baseline, and what a node signs with by default. */
  @Benchmark
  public byte[] inMemory() {
    return inMemory.sign(message);
  }

  /** The key in a SoftHSM2 token: a call through JNA into the module, OpenSSL's Ed25519 inside. */
  @Benchmark
  public byte[] softHsm() {
    return softHsm.sign(message);
  }

  /** The C library, to point SoftHSM at this benchmark's token folder. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }
}
