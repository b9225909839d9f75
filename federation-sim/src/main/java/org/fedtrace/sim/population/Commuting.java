package org.fedtrace.sim.population;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.Scenario.TravelPair;

/** Who works abroad: each country's commuter shares by destination, from the travel pairs. */
final class Commuting {
  private final double[][] shares;

  Commuting(Scenario s) {
    List<String> codes = s.countryCodes();
    shares = new double[codes.size()][codes.size()];
    for (TravelPair p : pairs(s)) {
      shares[codes.indexOf(p.from())][codes.indexOf(p.to())] += p.commuterShare();
    }
  }

  /** The travel pairs with the both-ways ones expanded into two. */
  static List<TravelPair> pairs(Scenario s) {
    List<TravelPair> out = new ArrayList<>();
    for (TravelPair p : s.travel().pairs()) {
      out.add(p);
      if (p.bothWays()) {
        out.add(new TravelPair(p.to(), p.from(), p.commuterShare(), p.tripRatePerDay(), false));
      }
    }
    return out;
  }

  /** The work country of a resident of {@code home} who drew {@code u} in [0, 1), or NONE. */
  int workCountry(int home, double u) {
    double acc = 0;
    for (int to = 0; to < shares.length; to++) {
      acc += shares[home][to];
      if (u < acc) {
        return to;
      }
    }
    return Population.NONE;
  }
}
