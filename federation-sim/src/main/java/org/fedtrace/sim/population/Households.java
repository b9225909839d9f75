package org.fedtrace.sim.population;

import org.fedtrace.sim.scenario.Scenario;

/**
 * Household contacts: every evening (20:00) each two members of a household who are not on a trip
 * have one contact of {@code household_contact_minutes} at {@code household_attenuation_db}. No
 * draw: the same pairs meet every day.
 */
public final class Households {
  /** The hour of the evening contact. */
  public static final int HOUR = 20;

  private final Population population;
  private final int minutes;
  private final int attenuation;

  /** Households of {@code population} under scenario {@code s}. */
  public Households(Scenario s, Population population) {
    this.population = population;
    this.minutes = s.behaviour().householdMinutes();
    this.attenuation = s.behaviour().householdAttenuationDb();
  }

  /** Adds the day's household contacts to {@code out}, after its other contacts. */
  public void meet(DayContacts out, Mobility mobility) {
    out.startHouseholds();
    int n = population.size();
    for (int a = 0; a < n; a++) {
      if (mobility.isAbroad(a)) {
        continue;
      }
      int first = population.household(a);
      for (int b = a + 1; b < n && population.household(b) == first; b++) {
        if (!mobility.isAbroad(b)) {
          out.add(a, b, HOUR * 60, minutes, attenuation);
        }
      }
    }
  }
}
