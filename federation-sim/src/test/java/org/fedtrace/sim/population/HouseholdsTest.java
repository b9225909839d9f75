package org.fedtrace.sim.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.fedtrace.sim.SmallScenarios;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

class HouseholdsTest {
  @Test
  void everyTwoMembersOfAHouseholdAtHomeMeetOnceEveryDayAndNobodyElseDoes() throws Exception {
    Scenario s = ScenarioLoader.parse(SmallScenarios.yaml(3, 30_000, 5), "h.yaml");
    Population p = Population.create(s);
    Mobility mobility = new Mobility(s, p);
    Encounters encounters = new Encounters(s, p);
    Households households = new Households(s, p);
    for (int day = 0; day < 5; day++) {
      DayContacts c = encounters.meet(mobility.plan(day));
      int placeContacts = c.size();
      households.meet(c, mobility);
      Map<Long, Integer> met = new HashMap<>();
      for (int i = placeContacts; i < c.size(); i++) {
        assertTrue(c.isHousehold(i));
        assertEquals(p.household(c.first(i)), p.household(c.second(i)));
        assertEquals(s.behaviour().householdMinutes(), c.duration(i));
        met.merge(((long) c.first(i) << 32) | c.second(i), 1, Integer::sum);
      }
      long expected = 0;
      for (int a = 0; a < p.size(); a++) {
        for (int b = a + 1; b < p.size() && p.household(b) == p.household(a); b++) {
          if (!mobility.isAbroad(a) && !mobility.isAbroad(b)) {
            expected++;
            assertEquals(1, met.getOrDefault(((long) a << 32) | b, 0), a + " and " + b);
          }
        }
      }
      assertEquals(expected, met.size());
      assertTrue(expected > p.size() / 3, "households of two or more are common");
    }
  }

  @Test
  void householdSizesAverageTheScenariosMean() throws Exception {
    Scenario s = ScenarioLoader.parse(SmallScenarios.yaml(3, 30_000, 5), "h.yaml");
    Population p = Population.create(s);
    int households = 0;
    for (int a = 0; a < p.size(); a++) {
      households += p.household(a) == a ? 1 : 0;
    }
    // sizes are 1 + Poisson(mean - 1), capped at 8: the sd of one size is about sqrt(mean - 1)
    double mean = (double) p.size() / households;
    double sd = Math.sqrt(s.behaviour().householdMeanSize() - 1) / Math.sqrt(households);
    assertEquals(s.behaviour().householdMeanSize(), mean, 4 * sd);
  }

  @Test
  void olderPeopleUseTheirShareOfVisitSlots() throws Exception {
    Scenario s = ScenarioLoader.parse(SmallScenarios.yaml(3, 30_000, 5), "h.yaml");
    Population p = Population.create(s);
    DayVisits v = new Mobility(s, p).plan(0);
    int slots = (int) Math.round(v.perAgent() * s.behaviour().elderlyVisitShare());
    int elderly = 0;
    for (int a = 0; a < p.size(); a++) {
      int made = 0;
      for (int k = 0; k < v.perAgent(); k++) {
        made += v.visit(a, k) == DayVisits.NO_VISIT ? 0 : 1;
      }
      assertEquals(p.isElderly(a) ? slots : v.perAgent(), made);
      elderly += p.isElderly(a) ? 1 : 0;
    }
    double share = s.behaviour().elderlyShare();
    double sd = Math.sqrt(p.size() * share * (1 - share));
    assertEquals(p.size() * share, elderly, 4 * sd);
  }
}
