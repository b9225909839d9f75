package org.fedtrace.sim.federation;

import org.fedtrace.sim.SimClock;

/**
 * Creates the federation of a run. The simulator's only dependency on how nodes are implemented:
 * {@code InMemoryFederation::new} for development and tests, the real nodes (gRPC over mTLS on
 * loopback) for measurements.
 */
@FunctionalInterface
public interface FederationFactory {
  /**
   * Starts one node per country of {@code spec}.
   *
   * @param clock the simulated clock; nodes must read time from it only, since the simulator moves
   *     it forward much faster than real time
   */
  Federation create(FederationSpec spec, SimClock clock);
}
