package org.fedtrace.sim.federation;

import java.util.Locale;

/** How the nodes of a federation are connected; the protocol works the same on each. */
public enum Topology {
  /** Every node exchanges batches with every other node directly. */
  MESH,
  /** Every node exchanges only with the hub, which forwards (like the EU gateway). */
  HUB,
  /** Nodes form a line in country order; each forwards to its neighbours (a relay chain). */
  CHAIN;

  /** The name used in scenario files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The topology named {@code label} (mesh, hub or chain).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Topology parse(String label) {
    for (Topology t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException("must be mesh, hub or chain, got '" + label + "'");
  }
}
