package org.fedtrace.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A day's release (transparency.md §16): the set of cells depends on the authorities and members
 * only (R18.4), the threshold is decided on the noisy upload count (R18.3), each family's scale is
 * its sensitivity over a fifth of ε (R18.1), and one upload's keys count up to the cap (R18.9).
 */
class DailyReleaseTest {
  private static final LocalDate DAY = LocalDate.parse("2026-12-01");

  /** ε so large that noise is 0 but with probability below 10^-1000. */
  private static StatisticsPolicy exact(int minUploads) {
    return new StatisticsPolicy(
        Epsilon.parse("999999"), Epsilon.parse("999999"), minUploads, 48, 14, List.of(2, 4, 7, 14));
  }

  private static DailyRelease release(StatisticsPolicy p) {
    return new DailyRelease(p, new ExactSampler(new SplittableRandom(5)));
  }

  @Test
  void cellsDependOnAuthoritiesAndMembersOnly() {
    DailyRelease.Release empty =
        release(exact(10)).release(DAY, List.of("A", "B"), List.of("DE", "FR", "IT"), Map.of());
    DailyRelease.Release full =
        release(exact(10))
            .release(
                DAY,
                List.of("A", "B"),
                List.of("DE", "FR", "IT"),
                Map.of(Cells.uploads("A"), 50L, Cells.pairKeys("DE", "FR"), 700L));
    assertEquals(2, empty.authorities().size());
    assertEquals(6, empty.pairs().size(), "every ordered pair of 3 members");
    assertEquals(
        full.pairs().stream().map(p -> p.from() + p.to()).toList(),
        empty.pairs().stream().map(p -> p.from() + p.to()).toList());
    assertEquals(700, full.pairs().get(0).keys(), "DE-FR first");
    assertEquals(50, full.authorities().get(0).uploads());
    assertTrue(full.authorities().get(0).published());
    assertFalse(full.authorities().get(1).published(), "B had no upload");
  }

  @Test
  void theThresholdIsOnTheNoisyCount() {
    DailyRelease r = release(exact(10));
    assertFalse(
        r.release(DAY, List.of("A"), List.of("DE"), Map.of(Cells.uploads("A"), 9L))
            .authorities()
            .get(0)
            .published());
    assertTrue(
        r.release(DAY, List.of("A"), List.of("DE"), Map.of(Cells.uploads("A"), 10L))
            .authorities()
            .get(0)
            .published());
    // at a real ε the noisy count decides: 9 true uploads are published about a third of the time
    StatisticsPolicy noisy =
        new StatisticsPolicy(
            Epsilon.parse("1"), Epsilon.parse("10"), 10, 48, 14, List.of(2, 4, 7, 14));
    DailyRelease n = release(noisy);
    int published = 0;
    for (int i = 0; i < 2000; i++) {
      if (n.release(DAY, List.of("A"), List.of("DE"), Map.of(Cells.uploads("A"), 9L))
          .authorities()
          .get(0)
          .published()) {
        published++;
      }
    }
    // P(noise >= 1) at scale 5 is p/(1+p) with p = exp(-0.2): 0.45; 5 standard errors is 0.056
    assertTrue(Math.abs(published / 2000.0 - 0.45) < 0.056, "published " + published);
  }

  @Test
  void sensitivitiesFollowThePolicyAndTheMembers() {
    DailyRelease.Sensitivities d = DailyRelease.Sensitivities.of(StatisticsPolicy.DEFAULTS, 5);
    assertEquals(new DailyRelease.Sensitivities(1, 14, 1, 4, 256), d);
    assertEquals(Epsilon.parse("0.2"), StatisticsPolicy.DEFAULTS.epsilonPerFamily());
  }

  @Test
  void binsTheDelayBetweenOnsetAndUpload() {
    StatisticsPolicy p = StatisticsPolicy.DEFAULTS;
    assertEquals(List.of("0-1", "2-3", "4-6", "7-13", "14+", "unknown"), p.delayBins());
    assertEquals("0-1", p.delayBin(0));
    assertEquals("2-3", p.delayBin(3));
    assertEquals("7-13", p.delayBin(13));
    assertEquals("14+", p.delayBin(40));
    assertEquals("unknown", p.delayBin(-1));
    StatisticsPolicy single =
        new StatisticsPolicy(Epsilon.parse("1"), Epsilon.parse("1"), 0, 24, 1, List.of(1, 2));
    assertEquals(List.of("0", "1", "2+", "unknown"), single.delayBins());
  }
}
