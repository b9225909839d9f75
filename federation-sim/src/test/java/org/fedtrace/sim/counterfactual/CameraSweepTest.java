package org.fedtrace.sim.counterfactual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CameraSweepTest {
  @Test
  void falseMatchesGrowWithTheWatchedPopulationAsTheRateImplies() {
    double rate = 1e-5;
    long searches = 300;
    long before = -1;
    for (long watched : new long[] {10_000, 100_000, 1_000_000, 10_000_000}) {
      long drawn = CameraSweep.falseMatches(watched, searches, rate, 2020);
      // a sum of binomial(watched, rate) counts: mean and variance add up
      double mean = searches * watched * rate;
      double sd = Math.sqrt(searches * watched * rate * (1 - rate));
      assertEquals(mean, drawn, 4 * sd, "watched " + watched);
      assertTrue(drawn > before, "more watched people, more false matches");
      before = drawn;
    }
  }

  @Test
  void theSweepReportsExpectedAndDrawnPerDay() {
    List<CameraSweep.Point> sweep = CameraSweep.sweep(140, 14, 1e-5, 7);
    assertEquals(CameraSweep.WATCHED.length, sweep.size());
    CameraSweep.Point million = sweep.get(2);
    assertEquals(1_000_000, million.watched());
    assertEquals(10 * 1_000_000 * 1e-5, million.expectedPerDay(), 1e-9);
    assertEquals(
        CameraSweep.falseMatches(1_000_000, 140, 1e-5, 7) / 14.0, million.measuredPerDay(), 1e-9);
  }

  @Test
  void tokenFalseMatchesAreTheProductOverTwoToThe128() {
    assertEquals(1.0, CameraSweep.tokenFalseMatches(Math.pow(2, 64), Math.pow(2, 64)), 1e-12);
    assertTrue(CameraSweep.tokenFalseMatches(1e9, 1e8) < 1e-20);
  }
}
