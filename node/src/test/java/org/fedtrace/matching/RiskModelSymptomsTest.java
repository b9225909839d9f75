package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.fedtrace.batch.Symptoms;
import org.junit.jupiter.api.Test;

/** R26.7: the infectiousness of a key by its symptom status. */
class RiskModelSymptomsTest {
  private static double infectiousness(Symptoms s) {
    OptionalInt day = RiskModel.onsetDayForScore(s);
    return RiskModel.infectiousnessFactor(day.isEmpty(), day.orElse(0));
  }

  @Test
  void aKnownOnsetScoresItsDay() {
    assertEquals(1.0, infectiousness(new Symptoms.KnownOnset(5)));
    assertEquals(0.5, infectiousness(new Symptoms.KnownOnset(6)));
    assertEquals(0.0, infectiousness(new Symptoms.KnownOnset(10)));
  }

  @Test
  void anOnsetRangeScoresItsMostInfectiousDay() {
    // key 10 days after the range end: onset 10..16 days before the key, all 0
    assertEquals(0.0, infectiousness(new Symptoms.OnsetInRange(7, 10)));
    // key 8 days after the end of a 3-day range: 8..10 days since onset, best 0.5 (8, 9)
    assertEquals(0.5, infectiousness(new Symptoms.OnsetInRange(3, 8)));
    assertEquals(OptionalInt.of(8), RiskModel.onsetDayForScore(new Symptoms.OnsetInRange(3, 8)));
    // key 14 days before the end of a 19-day range: -14..4, which reaches -2..5
    assertEquals(1.0, infectiousness(new Symptoms.OnsetInRange(19, -14)));
    assertEquals(
        OptionalInt.of(-2), RiskModel.onsetDayForScore(new Symptoms.OnsetInRange(19, -14)));
  }

  @Test
  void everyOtherStateCountsAsNotKnown() {
    for (Symptoms s :
        new Symptoms[] {
          new Symptoms.None(),
          new Symptoms.OnsetUnknown(-10),
          new Symptoms.Asymptomatic(-14),
          new Symptoms.StatusUnknown(14)
        }) {
      assertTrue(RiskModel.onsetDayForScore(s).isEmpty(), s.toString());
      assertEquals(1.0, infectiousness(s));
    }
  }
}
