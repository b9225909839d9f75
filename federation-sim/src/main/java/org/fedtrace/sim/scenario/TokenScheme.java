package org.fedtrace.sim.scenario;

import java.util.Locale;

/** What operators share: fedtrace's diagnosis keys, or the centralized baseline's records. */
public enum TokenScheme {
  /** fedtrace: only diagnosed people's daily keys leave the home node, in signed batches. */
  FEDERATED,
  /**
   * The baseline: every operator ships its subscribers' contact events (place and hour, with a
   * stable pseudonym) to one central tracker, which notifies everyone co-located with a reported
   * diagnosed person.
   */
  CENTRAL;

  /** The name used in scenario files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scheme named {@code label}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static TokenScheme parse(String label) {
    for (TokenScheme s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("must be federated or central, got '" + label + "'");
  }
}
