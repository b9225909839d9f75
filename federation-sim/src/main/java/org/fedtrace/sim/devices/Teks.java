package org.fedtrace.sim.devices;

import org.fedtrace.sim.population.Draws;

/**
 * Every person's Temporary Exposure Key of every day, computed on demand from the run's seed, the
 * person and the day, so that no key is stored (a million people over a fortnight would need 224
 * MB). Simulation keys: unpredictable enough for matching and privacy measurements (distinct with
 * overwhelming probability), not secret.
 */
public final class Teks {
  private static final long TEK = 40;

  private final long seed;

  /** Keys of the run with seed {@code seed}. */
  public Teks(long seed) {
    this.seed = seed;
  }

  /** The 16-byte key of person {@code agent} on simulated day {@code day}. */
  public byte[] tek(int agent, int day) {
    byte[] out = new byte[16];
    write(Draws.hash(seed, TEK, agent, day), out, 0);
    write(Draws.hash(seed, TEK + 1, agent, day), out, 8);
    return out;
  }

  private static void write(long v, byte[] b, int at) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }
}
