package org.fedtrace.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine on the benchmarks' synthetic workload finds exactly the planted matches, whatever its
 * thread count and probe mode: what the benchmarks count as found is what a correct match finds.
 */
class WorkloadMatchingTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 10, 1_000, 100_000})
  void findsExactlyThePlantedMatches(int indexSize) {
    SyntheticWorkload w = SyntheticWorkload.generate(indexSize, 3_000, indexSize);
    try (Matcher m = Matcher.create(2)) {
      assertEquals(w.plantedMatches(), m.match(w.index(), w.keys()).matchedObservations());
    }
    assertTrue(w.plantedMatches() > 0);
    assertEquals(indexSize, w.index().size());
  }

  @Test
  void parallelAndPartitionedRunsEqualTheSingleThreadedRun() {
    // 300,000 tokens: a filter of 64 Ki words, so partitioned probing really partitions (2 ways)
    SyntheticWorkload w = SyntheticWorkload.generate(300_000, 2_000, 3);
    MatchResult single;
    try (Matcher m = Matcher.create(1, ProbeMode.DIRECT, RiskModel.DEFAULT)) {
      single = m.match(w.index(), w.keys());
    }
    assertEquals(w.plantedMatches(), single.matchedObservations());
    for (int threads = 1; threads <= 3; threads++) {
      for (ProbeMode mode : ProbeMode.values()) {
        try (Matcher m = Matcher.create(threads, mode, RiskModel.DEFAULT)) {
          assertEquals(single, m.match(w.index(), w.keys()), threads + " threads, " + mode);
        }
      }
    }
  }
}
