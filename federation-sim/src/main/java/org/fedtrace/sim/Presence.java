package org.fedtrace.sim;

import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;

/**
 * What of a potential day really happened in the fedtrace run: the visits of people who were out
 * (neither isolated nor in quarantine) and the contacts that {@link Reaction#happens} keeps.
 */
final class Presence {
  private Presence() {}

  static DayVisits visits(DayVisits potential, Reaction reaction) {
    int per = potential.perAgent();
    int[] out = new int[potential.agents() * per];
    for (int a = 0; a < potential.agents(); a++) {
      for (int k = 0; k < per; k++) {
        int v = potential.visit(a, k);
        boolean out1 =
            v != DayVisits.NO_VISIT && reaction.isOut(a, potential.day() * 24 + DayVisits.hour(v));
        out[a * per + k] = out1 ? v : DayVisits.NO_VISIT;
      }
    }
    return new DayVisits(potential.day(), per, out);
  }

  static DayContacts contacts(DayContacts all, Reaction reaction) {
    DayContacts out = new DayContacts(all.day(), all.size());
    boolean households = false;
    for (int i = 0; i < all.size(); i++) {
      if (all.isHousehold(i) && !households) {
        out.startHouseholds();
        households = true;
      }
      if (reaction.happens(all, i)) {
        out.add(all.first(i), all.second(i), all.minute(i), all.duration(i), all.attenuation(i));
      }
    }
    out.trim();
    return out;
  }
}
