package org.fedtrace.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.truth.GroundTruth;
import org.junit.jupiter.api.Test;

class QualifyingContactsTest {
  private static final int PEOPLE = 8;

  /** Two days; index case 0 (covering both days) and index case 5 (covering day 1 only). */
  private static GroundTruth truth() {
    DayContacts day0 = new DayContacts(0);
    day0.add(0, 1, 600, 10, 50); // 0-1 close, 10 min
    day0.add(1, 0, 700, 6, 58); // 0-1 close, 6 more min: 16 in total, qualifies
    day0.add(0, 2, 800, 30, 70); // far: never qualifies
    day0.add(3, 0, 900, 14, 60); // close but 14 min: does not
    day0.add(5, 6, 900, 40, 40); // 5 is not covered on day 0
    DayContacts day1 = new DayContacts(1);
    day1.add(4, 0, 600, 15, 60); // exactly 15 close minutes at exactly 60 dB: qualifies
    day1.add(6, 5, 600, 20, 45); // 5 covered on day 1: 6 qualifies
    day1.add(7, 6, 600, 60, 30); // neither is an index case
    GroundTruth t = new GroundTruth();
    t.addDay(new DayVisits(0, 1, new int[PEOPLE]), day0);
    t.addDay(new DayVisits(1, 1, new int[PEOPLE]), day1);
    return t;
  }

  private static IndexCases cases() {
    IndexCases c = new IndexCases(PEOPLE);
    c.add(0, 0, 1);
    c.add(5, 1, 1);
    return c;
  }

  @Test
  void closeMinutesWithOneIndexCaseOnOneCoveredDayAddUp() {
    BitSet exposed = QualifyingContacts.exposed(truth(), cases(), 60, 15, a -> true);

    assertEquals("{1, 4, 6}", exposed.toString());
  }

  @Test
  void onlyEligiblePeopleCount() {
    BitSet exposed = QualifyingContacts.exposed(truth(), cases(), 60, 15, a -> a != 4);

    assertEquals("{1, 6}", exposed.toString());
  }

  @Test
  void accuracyAgainstTheTruth() {
    BitSet exposed = QualifyingContacts.exposed(truth(), cases(), 60, 15, a -> true);
    BitSet notified = new BitSet();
    notified.set(1);
    notified.set(2);
    notified.set(3);
    notified.set(6);

    assertEquals(new Accuracy(3, 4, 2, 0.5, 2.0 / 3), Accuracy.of(exposed, notified));
  }

  @Test
  void accuracyWithoutNotificationsIsUndefined() {
    Accuracy a = Accuracy.of(new BitSet(), new BitSet());

    assertEquals(0, a.notified());
    assertEquals(Double.NaN, a.precision());
    assertEquals(Double.NaN, a.recall());
  }

  @Test
  void nearestRankPercentiles() {
    long[] values = {7, 1, 3, 9, 5};

    assertEquals(5, Percentiles.nearestRank(values, 50));
    assertEquals(9, Percentiles.nearestRank(values, 99));
    assertEquals(1, Percentiles.nearestRank(values, 1));
    assertEquals(Double.NaN, Percentiles.nearestRank(new long[0], 50));
  }
}
