package org.fedtrace.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedtrace.bench.workload.SyntheticWorkload;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ObservationIndex;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
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
 * The lookup half of the pipeline on one thread: {@link Matcher#probeOnly} looks up {@value #SLICE}
 * random tokens (prefilter, then table) per invocation, in slices taken in turn from a pool of
 * {@value #POOL} tokens so that successive invocations touch different filter lines, as fresh RPIs
 * do. Scores are lookups per second. The index has 1,000,000 observations (filter 2 MiB, the size
 * of one core's L2; table 40 MiB) or 10,000,000 (filter 16 MiB, table 320 MiB, both beyond the 32
 * MiB L3 once the derive buffers and the other core share it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatchProbeBenchmark {
  static final int SLICE = 147_456;
  static final int POOL = 32 * SLICE;

  @Param({"1000000", "10000000"})
  int indexSize;

  @Param({"DIRECT", "PARTITIONED"})
  ProbeMode mode;

  private ObservationIndex index;
  private Matcher matcher;
  private byte[] tokens;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    index =
        SyntheticWorkload.build(MatchWorkloads.fullDayKeys(1, 7), indexSize, 42, d -> {}).index();
    tokens = new byte[POOL * 16];
    new SplittableRandom(11).nextBytes(tokens);
    matcher = Matcher.create(1, mode, RiskModel.DEFAULT);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    matcher.close();
  }

  @Benchmark
  @OperationsPerInvocation(SLICE)
  public long probeOnly() {
    byte[] slice = tokens;
    int at = next;
    next = (next + 1) % (POOL / SLICE);
    return matcher.probeOnly(index, slice, at * SLICE, SLICE);
  }
}
