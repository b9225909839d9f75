package org.fedtrace.bench;

import java.util.concurrent.TimeUnit;
import org.fedtrace.bench.workload.SyntheticWorkload;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
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
 * The whole pipeline: {@link Matcher#match} of 10,000 full-day keys (1,440,000 RPIs per invocation)
 * against an index of 1,000,000 or 10,000,000 observations with planted matches, on 1 or 2 threads,
 * probing the prefilter directly or partitioned. Scores are RPIs per second over all threads;
 * compare them with {@link MatchDeriveBenchmark}, the limit. Each invocation checks that it found
 * every planted match.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatchPipelineBenchmark {
  @Param({"1000000", "10000000"})
  int indexSize;

  @Param({"1", "2"})
  int threads;

  @Param({"DIRECT", "PARTITIONED"})
  ProbeMode mode;

  private SyntheticWorkload workload;
  private Matcher matcher;

  @Setup(Level.Trial)
  public void setUp() {
    KeyBatch keys = MatchWorkloads.fullDayKeys(MatchWorkloads.KEYS, 7);
    workload = MatchWorkloads.index(keys, indexSize);
    matcher = Matcher.create(threads, mode, RiskModel.DEFAULT);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    matcher.close();
  }

  @Benchmark
  @OperationsPerInvocation(MatchWorkloads.RPIS)
  public MatchResult match() {
    MatchResult r = matcher.match(workload.index(), workload.keys());
    if (r.matchedObservations() != workload.plantedMatches()) {
      throw new IllegalStateException(
          r.matchedObservations() + " matches found, " + workload.plantedMatches() + " planted");
    }
    return r;
  }
}
