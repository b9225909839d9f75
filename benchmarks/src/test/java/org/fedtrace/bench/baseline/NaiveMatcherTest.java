package org.fedtrace.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fedtrace.bench.workload.SyntheticWorkload;
import org.junit.jupiter.api.Test;

class NaiveMatcherTest {
  @Test
  void naiveBaselineCountsTheSameRpis() {
    SyntheticWorkload w = SyntheticWorkload.generate(2_000, 50, 9);
    // every planted key's RPI is in the set (decoys share the RPI, duplicates too)
    long hits = new NaiveMatcher(w.index()).countHits(w.keys(), 0, w.keys().size());
    assertEquals(50, hits);
  }
}
