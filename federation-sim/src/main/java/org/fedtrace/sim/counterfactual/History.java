package org.fedtrace.sim.counterfactual;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;

/**
 * The potential days every world shares: each day's visits and contacts as if nobody stayed home
 * (each world then drops what its isolation and quarantine prevent), with the contacts indexed by
 * person and the visits grouped by place and hour.
 */
final class History {
  private final int places;
  private final List<Day> days = new ArrayList<>();

  History(int places) {
    this.places = places;
  }

  void add(DayVisits visits, DayContacts contacts) {
    days.add(
        new Day(visits, contacts, byPerson(contacts, visits.agents()), visits.gatherings(places)));
  }

  Day day(int d) {
    return days.get(d);
  }

  int size() {
    return days.size();
  }

  private static int[][] byPerson(DayContacts c, int agents) {
    int[] start = new int[agents + 1];
    for (int i = 0; i < c.size(); i++) {
      start[c.first(i) + 1]++;
      start[c.second(i) + 1]++;
    }
    for (int a = 0; a < agents; a++) {
      start[a + 1] += start[a];
    }
    int[] ids = new int[start[agents]];
    int[] next = start.clone();
    for (int i = 0; i < c.size(); i++) {
      ids[next[c.first(i)]++] = i;
      ids[next[c.second(i)]++] = i;
    }
    return new int[][] {start, ids};
  }

  /** One potential day. */
  record Day(
      DayVisits visits, DayContacts contacts, int[][] byPerson, DayVisits.Gatherings gatherings) {
    /** Contact ids of {@code a}: {@code ids()[from(a)] .. ids()[from(a + 1) - 1]}. */
    int from(int a) {
      return byPerson[0][a];
    }

    int[] ids() {
      return byPerson[1];
    }

    /** The other person of contact {@code i}. */
    int other(int i, int a) {
      return contacts.first(i) == a ? contacts.second(i) : contacts.first(i);
    }
  }
}
