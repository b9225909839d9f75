package org.fedtrace.sim.counterfactual;

import java.util.BitSet;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;

/**
 * Manual tracing: every diagnosed person is interviewed; {@code manual_delay_hours} after the
 * diagnosis, the contacts of the last {@code manual_lookback_days} days who live in the same
 * country are notified: household members always, anybody else with {@code manual_found_share}.
 */
final class ManualTracer extends Tracer {
  private static final long FOUND = 50;
  private final BitSet named = new BitSet();

  ManualTracer(
      Scenario s, Population population, History history, Epidemic epidemic, Reaction reaction) {
    super(s, population, history, epidemic, reaction);
  }

  @Override
  int triggerHour(int a) {
    int d = epidemic.diagnosisHour(a);
    return d == Epidemic.NEVER ? d : d + s.baselines().manualDelayHours();
  }

  @Override
  void trace(int a, int hour, Notifier out) {
    int diagnosed = epidemic.diagnosisHour(a);
    int last = Math.min(diagnosed / 24, history.size() - 1);
    for (int d = firstDay(diagnosed, s.baselines().manualLookbackDays()); d <= last; d++) {
      History.Day day = history.day(d);
      DayContacts c = day.contacts();
      for (int k = day.from(a); k < day.from(a + 1); k++) {
        int i = day.ids()[k];
        int b = day.other(i, a);
        boolean found =
            c.isHousehold(i)
                || Draws.uniform(s.seed(), FOUND, a, b) < s.baselines().manualFoundShare();
        if (c.hour(i) < diagnosed
            && found
            && population.home(b) == population.home(a)
            && reaction.happens(c, i)) {
          named.set(b);
          out.notifyAt(b, hour);
        }
      }
    }
  }

  @Override
  long learnedAbout(BitSet indexCases) {
    BitSet all = (BitSet) named.clone();
    all.or(indexCases);
    return all.cardinality();
  }
}
