package org.fedtrace.bench;

import java.util.concurrent.TimeUnit;
import org.fedtrace.bench.baseline.NaiveMatcher;
import org.fedtrace.matching.KeyBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The naive baseline on one thread: a fresh {@code Cipher} per RPI and {@code HashSet} lookups
 * ({@link NaiveMatcher}) of 10 full-day keys per invocation against the same index as {@link
 * MatchPipelineBenchmark}. Scores are RPIs per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatchNaiveBenchmark {
  static final int KEYS = 10;

  @Param({"1000000", "10000000"})
  int indexSize;

  private KeyBatch keys;
  private NaiveMatcher naive;

  @Setup(Level.Trial)
  public void setUp() {
    KeyBatch all = MatchWorkloads.fullDayKeys(MatchWorkloads.KEYS, 7);
    naive = new NaiveMatcher(MatchWorkloads.index(all, indexSize).index());
    keys = all;
  }

  @Benchmark
  @OperationsPerInvocation(KEYS * 144)
  public long naive() {
    return naive.countHits(keys, 0, KEYS);
  }
}
