package org.fedtrace.sim.counterfactual;

import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;

/** One world of the comparison: a scheme, the epidemic it let happen and who it notified. */
public interface World {
  /** The scheme. */
  Scheme scheme();

  /** The world's epidemic. */
  Epidemic epidemic();

  /** Who was notified, quarantined and tested. */
  Reaction reaction();

  /** Whether {@code a} was an index case the scheme traced from. */
  boolean isIndexCase(int a);

  /** New infections per simulated day. */
  long[] infectionsByDay();

  /** People the scheme's operator learns something about. */
  long learnedAbout();

  /** Camera false matches; 0 for other schemes. */
  long falseMatches();
}
