package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RiskModelTest {
  @Test
  void weighsAttenuationInThreeBuckets() {
    assertEquals(100, RiskModel.attenuationWeightPercent(0));
    assertEquals(100, RiskModel.attenuationWeightPercent(55));
    assertEquals(50, RiskModel.attenuationWeightPercent(56));
    assertEquals(50, RiskModel.attenuationWeightPercent(63));
    assertEquals(0, RiskModel.attenuationWeightPercent(64));
    assertEquals(0, RiskModel.attenuationWeightPercent(255));
  }

  @Test
  void weighsInfectiousnessByDaysSinceOnset() {
    assertEquals(1.0, RiskModel.infectiousnessFactor(true, 0));
    assertEquals(1.0, RiskModel.infectiousnessFactor(false, -2));
    assertEquals(1.0, RiskModel.infectiousnessFactor(false, 5));
    assertEquals(0.5, RiskModel.infectiousnessFactor(false, -3));
    assertEquals(0.5, RiskModel.infectiousnessFactor(false, -5));
    assertEquals(0.5, RiskModel.infectiousnessFactor(false, 6));
    assertEquals(0.5, RiskModel.infectiousnessFactor(false, 9));
    assertEquals(0.0, RiskModel.infectiousnessFactor(false, -6));
    assertEquals(0.0, RiskModel.infectiousnessFactor(false, 10));
  }

  @Test
  void scoresWeightedMinutesTimesTransmissionTimesInfectiousness() {
    // 20 near minutes + 20 medium minutes = 30 weighted minutes; TRL 4 -> 0.5; DSOS 7 -> 0.5
    long weighted = 1200L * 100 + 1200L * 50;
    assertEquals(7.5, RiskModel.score(weighted, 4, false, 7));
    assertEquals(30.0, RiskModel.score(weighted, 8, true, 0));
    assertEquals(0.0, RiskModel.score(weighted, 0, true, 0));
    assertTrue(RiskModel.DEFAULT.notifies(15.0));
    assertFalse(RiskModel.DEFAULT.notifies(14.99));
    assertTrue(RiskModel.withThreshold(7.5).notifies(7.5));
    assertEquals(
        "threshold must be a positive number, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> RiskModel.withThreshold(0))
            .getMessage());
  }
}
