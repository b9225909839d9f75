package org.fedtrace.sim.epidemic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.fedtrace.sim.SmallScenarios;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioException;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

class ReactionTest {
  private static Scenario scenario(int agents, String behaviour) throws ScenarioException {
    return ScenarioLoader.parse(
        SmallScenarios.yaml(5, agents, 10) + "behaviour: {" + behaviour + "}\n", "r.yaml");
  }

  private static Epidemic seeded(Scenario s, Population p) {
    Epidemic e = new Epidemic(s, p);
    e.seedInfections(s.countries());
    return e;
  }

  private static int[] healthy(Epidemic e, int count) {
    return IntStream.range(0, e.size())
        .filter(a -> e.infectedHour(a) == Epidemic.NEVER)
        .limit(count)
        .toArray();
  }

  /** One outside contact of a and b at noon, then one household contact of a and c. */
  private static DayContacts day(int d, int a, int b, int c) {
    DayContacts out = new DayContacts(d);
    out.add(a, b, 12 * 60, 10, 50);
    out.startHouseholds();
    out.add(a, c, 20 * 60, 15, 70);
    return out;
  }

  @Test
  void quarantineRemovesOutsideContactsForTheStatedDaysAndKeepsTheHousehold() throws Exception {
    Scenario s = scenario(3000, "quarantine_compliance: 1, quarantine_days: 3");
    Population p = Population.create(s);
    Epidemic e = seeded(s, p);
    Reaction r = new Reaction(s, e, p.size());
    int[] people = healthy(e, 3);
    r.notify(people[0], 10);
    for (int d = 0; d < 6; d++) {
      r.startDay(d);
      DayContacts c = day(d, people[0], people[1], people[2]);
      boolean quarantined = d >= 1 && d <= 3; // from the day after the notification, 3 days
      assertEquals(!quarantined, r.happens(c, 0), "outside contact on day " + d);
      assertTrue(r.happens(c, 1), "household contact on day " + d);
      assertEquals(quarantined, r.isQuarantined(people[0], d));
      assertFalse(r.isQuarantined(people[1], d));
    }
    assertEquals(1, r.quarantinedPeople());
    assertEquals(1, r.quarantinedWithoutCause());
  }

  @Test
  void withoutComplianceNothingChanges() throws Exception {
    Scenario s = scenario(3000, "quarantine_compliance: 0");
    Population p = Population.create(s);
    Epidemic e = seeded(s, p);
    Reaction r = new Reaction(s, e, p.size());
    int[] people = healthy(e, 3);
    r.notify(people[0], 10);
    for (int d = 0; d < 4; d++) {
      r.startDay(d);
      assertTrue(r.happens(day(d, people[0], people[1], people[2]), 0));
    }
    assertEquals(0, r.quarantinedPeople());
  }

  @Test
  void theShareThatQuarantinesIsTheCompliance() throws Exception {
    int n = 20_000;
    double compliance = 0.3;
    Scenario s = scenario(n, "quarantine_compliance: " + compliance);
    Population p = Population.create(s);
    Reaction r = new Reaction(s, new Epidemic(s, p), n);
    for (int a = 0; a < n; a++) {
      r.notify(a, 5);
    }
    double sd = Math.sqrt(n * compliance * (1 - compliance));
    assertEquals(n * compliance, r.quarantinedPeople(), 4 * sd);
  }

  @Test
  void aPositiveTestOfANotifiedPersonDiagnosesThemAtTheResult() throws Exception {
    Scenario s =
        scenario(
            3000,
            "test_notified_share: 1, test_sensitivity: 1,"
                + " test_notified_delay_hours: {mean: 48, sd: 0}");
    Population p = Population.create(s);
    Epidemic e = seeded(s, p);
    Reaction r = new Reaction(s, e, p.size());
    // infected in the four days before day 0 and never diagnosed on symptoms
    int sick =
        IntStream.range(0, p.size())
            .filter(a -> e.infectedHour(a) < 0 && e.isAsymptomatic(a))
            .findFirst()
            .orElseThrow();
    int well = healthy(e, 1)[0];
    r.notify(sick, 48);
    r.notify(well, 48);

    assertEquals(List.of(), r.testResults(95));
    assertEquals(List.of(sick), r.testResults(96));
    assertEquals(96, e.diagnosisHour(sick));
    assertEquals(96, e.isolatedFromHour(sick));
    assertEquals(Epidemic.NEVER, e.diagnosisHour(well));
    for (int d = 0; d <= 4; d++) {
      r.startDay(d);
    }
    assertFalse(r.isOut(sick, 97)); // isolated once diagnosed
  }

  @Test
  void aTestOutsideTheSensitiveWindowIsNegative() throws Exception {
    Scenario s =
        scenario(
            3000,
            "test_notified_share: 1, test_sensitivity: 1,"
                + " test_notified_delay_hours: {mean: 0, sd: 0}");
    Population p = Population.create(s);
    Epidemic e = seeded(s, p);
    Reaction r = new Reaction(s, e, p.size());
    int sick =
        IntStream.range(0, p.size())
            .filter(a -> e.infectedHour(a) < 0 && e.isAsymptomatic(a))
            .findFirst()
            .orElseThrow();
    int tooLate = e.infectedHour(sick) + 14 * 24;
    r.notify(sick, tooLate);

    assertEquals(List.of(), r.testResults(tooLate));
    assertEquals(Epidemic.NEVER, e.diagnosisHour(sick));
  }
}
