package org.fedtrace.sim.scenario;

import java.util.Locale;

/** Where diagnosis keys are matched against observations. */
public enum MatchingMode {
  /** Phones download the batches and match on the device; the operator learns nothing. */
  DEVICE,
  /** Phones deposit their observations at their home node, which matches and notifies. */
  OPERATOR;

  /** The name used in scenario files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code label}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static MatchingMode parse(String label) {
    for (MatchingMode m : values()) {
      if (m.label().equals(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("must be device or operator, got '" + label + "'");
  }
}
