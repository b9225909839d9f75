package org.fedtrace.sim.metrics;

import java.util.Arrays;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.truth.GroundTruth;

/** Ground-truth visits of one person, as the sniffer and the tracker would see them. */
final class Visits {
  private Visits() {}

  /** The places {@code agent} visited on days {@code first..last}. */
  static int[] places(GroundTruth truth, int agent, int first, int last) {
    int[] out = new int[16];
    int n = 0;
    for (int d = Math.max(0, first); d <= Math.min(last, truth.days() - 1); d++) {
      DayVisits v = truth.visits(d);
      for (int k = 0; k < v.perAgent(); k++) {
        int ph = v.visit(agent, k);
        if (ph != DayVisits.NO_VISIT) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = DayVisits.place(ph);
        }
      }
    }
    return Arrays.copyOf(out, n);
  }
}
