package org.fedtrace.sim.counterfactual;

import java.util.BitSet;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;

/**
 * The fedtrace run itself as a world of the comparison: its index cases are the uploaders, and its
 * operators learn of them only (their keys reach every member node).
 *
 * @param epidemic the run's epidemic
 * @param reaction the run's reaction to notifications
 * @param uploaders people who uploaded keys
 * @param byDay new infections per simulated day
 */
public record FedtraceWorld(Epidemic epidemic, Reaction reaction, BitSet uploaders, long[] byDay)
    implements World {
  @Override
  public Scheme scheme() {
    return Scheme.FEDTRACE;
  }

  @Override
  public boolean isIndexCase(int a) {
    return uploaders.get(a);
  }

  @Override
  public long[] infectionsByDay() {
    return byDay.clone();
  }

  @Override
  public long learnedAbout() {
    return uploaders.cardinality();
  }

  @Override
  public long falseMatches() {
    return 0;
  }
}
