package org.fedtrace.bench;

import java.util.concurrent.TimeUnit;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.Matcher;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The limit of the matching pipeline: {@link Matcher#deriveOnly} derives every RPI of 10,000
 * full-day keys exactly as a match does (same chunks, same threads, same per-thread TokenDeriver),
 * without a single lookup. Scores are RPIs per second over all threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatchDeriveBenchmark {
  @Param({"1", "2"})
  int threads;

  private KeyBatch keys;
  private Matcher matcher;

  @Setup(Level.Trial)
  public void setUp() {
    keys = MatchWorkloads.fullDayKeys(MatchWorkloads.KEYS, 7);
    matcher = Matcher.create(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    matcher.close();
  }

  @Benchmark
  @OperationsPerInvocation(MatchWorkloads.RPIS)
  public long deriveOnly() {
    return matcher.deriveOnly(keys);
  }
}
