package org.fedtrace.sim;

import org.fedtrace.sim.population.Draws;

/**
 * When phones talk to the network: every {@code matching.device_poll_hours}, each phone with a
 * phase of its own drawn from the seed. In device mode a phone fetches new batches at its polls; in
 * operator-assisted mode it hands what it heard to its operator's backend.
 */
final class Polls {
  private static final long POLL = 60;

  private final long seed;
  private final int everyHours;

  Polls(long seed, int everyHours) {
    this.seed = seed;
    this.everyHours = everyHours;
  }

  /** The hour of the first poll of {@code agent}'s phone at or after {@code hour}. */
  int next(int agent, int hour) {
    int phase = (int) Long.remainderUnsigned(Draws.hash(seed, POLL, agent, 0), everyHours);
    return hour + Math.floorMod(phase - hour, everyHours);
  }
}
