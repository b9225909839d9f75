package org.fedtrace.sim.metrics;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * Ground-truth exposures: a person is exposed when, on a day an index case's report covers, they
 * spent at least {@code closeMinutes} minutes in close contact (true attenuation at most {@code
 * closeDb}) with that index case, summed over that day's contacts of the pair.
 */
public final class QualifyingContacts {
  private QualifyingContacts() {}

  /**
   * The exposed people.
   *
   * @param eligible who can count (for the federated scheme: app users)
   */
  public static BitSet exposed(
      GroundTruth truth, IndexCases cases, int closeDb, int closeMinutes, IntPredicate eligible) {
    BitSet out = new BitSet(cases.agents());
    for (int day = 0; day < truth.days(); day++) {
      DayContacts c = truth.contacts(day);
      Map<Long, Integer> minutes = new HashMap<>();
      for (int i = 0; i < c.size(); i++) {
        if (c.attenuation(i) > closeDb) {
          continue;
        }
        int a = c.first(i);
        int b = c.second(i);
        if (cases.covers(a, day)) {
          minutes.merge(pair(a, b), c.duration(i), Integer::sum);
        }
        if (cases.covers(b, day)) {
          minutes.merge(pair(b, a), c.duration(i), Integer::sum);
        }
      }
      for (Map.Entry<Long, Integer> e : minutes.entrySet()) {
        int other = (int) e.getKey().longValue();
        if (e.getValue() >= closeMinutes && eligible.test(other)) {
          out.set(other);
        }
      }
    }
    return out;
  }

  private static long pair(int indexCase, int other) {
    return ((long) indexCase << 32) | (other & 0xffffffffL);
  }
}
