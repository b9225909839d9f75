package org.fedtrace.sim.population;

import java.util.SplittableRandom;
import org.fedtrace.sim.scenario.Scenario;

/**
 * Contacts among people present at the same place in the same hour. A group of {@code n} people has
 * a Poisson number of contacts with mean {@code n * rate_per_day / visits_per_day / 2}, each
 * between two distinct members chosen uniformly, with a log-normal duration (1..60 minutes) that
 * fits in the hour and a normal true attenuation (30..110 dB).
 */
public final class Encounters {
  private static final long CONTACTS = 20;

  private final long seed;
  private final int places;
  private final double perVisit;
  private final Scenario.Dist duration;
  private final Scenario.Dist attenuation;

  /** Encounters under scenario {@code s} among the places of {@code population}. */
  public Encounters(Scenario s, Population population) {
    this.seed = s.seed();
    this.places = population.places();
    this.perVisit = s.contacts().ratePerDay() / s.contacts().visitsPerDay();
    this.duration = s.contacts().durationMinutes();
    this.attenuation = s.contacts().attenuationDb();
  }

  /** The contacts of the day of {@code visits}. */
  public DayContacts meet(DayVisits visits) {
    SplittableRandom r = Draws.random(seed, CONTACTS, visits.day(), 0);
    DayVisits.Gatherings g = visits.gatherings(places);
    int[] members = g.members();
    // room for the expected contacts (a Poisson count, mean members * perVisit / 2) and one
    // household contact per person, so that neither list grows by doubling at ten million people
    double expected = members.length * perVisit / 2;
    int room = (int) Math.min(Integer.MAX_VALUE - 8, expected * 1.01 + 1024 + visits.agents());
    DayContacts out = new DayContacts(visits.day(), room);
    for (int group = 0; group < g.groups(); group++) {
      int n = g.size(group);
      if (n < 2) {
        continue;
      }
      int from = g.start()[group];
      int hour = DayVisits.hour(group);
      int count = Draws.poisson(r, n * perVisit / 2);
      for (int i = 0; i < count; i++) {
        int x = r.nextInt(n);
        int y = r.nextInt(n - 1);
        if (y >= x) {
          y++;
        }
        int minutes = (int) Math.min(60, Math.max(1, Math.round(draw(r, duration))));
        int start = hour * 60 + r.nextInt(61 - minutes);
        int db = (int) Math.min(110, Math.max(30, Math.round(normal(r, attenuation))));
        out.add(members[from + x], members[from + y], start, minutes, db);
      }
    }
    return out; // not trimmed: the household contacts follow; the simulator trims the day
  }

  private static double draw(SplittableRandom r, Scenario.Dist d) {
    return Draws.logNormal(r, d.mean(), d.sd());
  }

  private static double normal(SplittableRandom r, Scenario.Dist d) {
    return d.mean() + d.sd() * Draws.gaussian(r);
  }
}
