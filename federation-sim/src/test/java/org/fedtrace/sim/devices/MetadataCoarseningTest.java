package org.fedtrace.sim.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.matching.RiskModel;
import org.junit.jupiter.api.Test;

class MetadataCoarseningTest {
  @Test
  void everyScoreStaysTheSame() {
    for (int dsos = -14; dsos <= 14; dsos++) {
      for (long w : new long[] {0, 1, 6_000, 90_000, 123_457}) {
        double before =
            RiskModel.score(w, MetadataCoarsening.transmissionRiskLevel(dsos), false, dsos);
        double after = RiskModel.score(w, MetadataCoarsening.level(dsos), true, 0);
        assertEquals(before, after, 0.0, "days since onset " + dsos + ", " + w);
      }
    }
  }

  @Test
  void twentyNineValuesBecomeFiveLevels() {
    Set<Integer> levels = new TreeSet<>();
    for (int dsos = -14; dsos <= 14; dsos++) {
      levels.add(MetadataCoarsening.level(dsos));
    }
    assertEquals(Set.of(0, 1, 2, 4, 6), levels);
    assertEquals(0, MetadataCoarsening.level(-6));
    assertEquals(2, MetadataCoarsening.level(-5));
    assertEquals(6, MetadataCoarsening.level(-2));
    assertEquals(4, MetadataCoarsening.level(3));
    assertEquals(1, MetadataCoarsening.level(9));
    assertEquals(0, MetadataCoarsening.level(10));
  }

  @Test
  void predecessorLevelsFollowTheTable() {
    assertArrayEquals(new int[] {2, 6}, MetadataCoarsening.predecessorLevels(6));
    assertArrayEquals(new int[] {4, 6}, MetadataCoarsening.predecessorLevels(4));
    assertArrayEquals(new int[] {0, 2}, MetadataCoarsening.predecessorLevels(2));
    assertArrayEquals(new int[] {1, 4}, MetadataCoarsening.predecessorLevels(1));
    assertArrayEquals(new int[] {0, 1}, MetadataCoarsening.predecessorLevels(0));
  }
}
