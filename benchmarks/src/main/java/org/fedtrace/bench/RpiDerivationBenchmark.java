package org.fedtrace.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedtrace.bench.baseline.BouncyCastleTokenDeriver;
import org.fedtrace.bench.baseline.NaiveTokenDeriver;
import org.fedtrace.bench.baseline.RpiCipherBound;
import org.fedtrace.crypto.TemporaryExposureKey;
import org.fedtrace.crypto.TokenDeriver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RPI derivation throughput on one core, in RPIs per second: what bounds how many diagnosis keys a
 * node can match per second, since every published key yields up to 144 RPIs to look up.
 *
 * <p>Each invocation derives the 144 RPIs of one key (a full day), cycling through {@value #KEYS}
 * random TEKs (64 KiB, which fits in the L2 cache), and counts as 144 operations, so every score is
 * RPIs per second on one thread:
 *
 * <ul>
 *   <li>{@code tokenDeriver}: fedtrace's {@link TokenDeriver}, JCE with its Mac and Cipher reused:
 *       one HKDF, one AES key schedule and one 144-block AES call per key.
 *   <li>{@code bouncyCastle}: the same work with Bouncy Castle's lightweight HKDF and AES engine
 *       ({@link BouncyCastleTokenDeriver}), the library baseline.
 *   <li>{@code naiveJce}: new JCE Mac and Cipher objects, HKDF and key schedule for every RPI
 *       ({@link NaiveTokenDeriver}), the careless baseline.
 *   <li>{@code aesOnlyLimit}: only the 144 AES blocks, under a fixed key whose schedule is reused
 *       ({@link RpiCipherBound}): the limit that {@code tokenDeriver} approaches as per-key work
 *       (HKDF, key setup) becomes free.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class RpiDerivationBenchmark {
  /** Number of distinct TEKs cycled through; a power of two. */
  static final int KEYS = 4096;

  /** RPIs per key and per invocation: a full day of 10-minute intervals. */
  static final int RPIS = TokenDeriver.MAX_ROLLING_PERIOD;

  /** ENIN of the published Exposure Notification vector's key, a day boundary. */
  private static final int START_ENIN = 2_642_976;

  private final byte[] out = new byte[RPIS * TokenDeriver.TOKEN_LENGTH];
  private byte[][] teks;
  private int next;
  private TokenDeriver tokenDeriver;
  private BouncyCastleTokenDeriver bouncyCastle;
  private NaiveTokenDeriver naive;
  private RpiCipherBound aesOnly;

  /** Draws the TEKs from a fixed seed and creates one instance of each deriver. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(20_260_101L);
    teks = new byte[KEYS][TemporaryExposureKey.LENGTH];
    for (byte[] tek : teks) {
      random.nextBytes(tek);
    }
    tokenDeriver = TokenDeriver.create();
    bouncyCastle = new BouncyCastleTokenDeriver();
    naive = new NaiveTokenDeriver();
    aesOnly = new RpiCipherBound(tokenDeriver.rpik(TemporaryExposureKey.of(teks[0])), START_ENIN);
  }

  /** fedtrace's JCE derivation with reused primitives. */
  @Benchmark
  @OperationsPerInvocation(RPIS)
  public byte[] tokenDeriver() {
    tokenDeriver.deriveRpis(nextTek(), START_ENIN, RPIS, out, 0);
    return out;
  }

  /** Bouncy Castle's lightweight HKDF and AES: the library baseline. */
  @Benchmark
  @OperationsPerInvocation(RPIS)
  public byte[] bouncyCastle() {
    bouncyCastle.deriveRpis(nextTek(), START_ENIN, RPIS, out, 0);
    return out;
  }

  /** New JCE objects, HKDF and key schedule per RPI: the careless baseline. */
  @Benchmark
  @OperationsPerInvocation(RPIS)
  public byte[] naiveJce() {
    naive.deriveRpis(nextTek(), START_ENIN, RPIS, out, 0);
    return out;
  }

  /** The 144 AES blocks alone under a fixed, already scheduled key: the limit. */
  @Benchmark
  @OperationsPerInvocation(RPIS)
  public byte[] aesOnlyLimit() {
    aesOnly.encrypt(out, 0);
    return out;
  }

  private byte[] nextTek() {
    byte[] tek = teks[next];
    next = (next + 1) & (KEYS - 1);
    return tek;
  }
}
