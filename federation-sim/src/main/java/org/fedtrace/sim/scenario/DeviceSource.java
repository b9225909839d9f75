package org.fedtrace.sim.scenario;

import java.util.Locale;

/** Device mode: what a phone matches its observations against. */
public enum DeviceSource {
  /**
   * The signed key export files its home node writes (spec §24), fetched every {@code
   * download_interval_hours}: what an Exposure Notification framework accepts.
   */
  EXPORTS,
  /**
   * The federation batches that reach its home node, fetched every {@code device_poll_hours}: no
   * export embargo and no padding files; a reference to measure what the exports cost.
   */
  BATCHES;

  /** The name used in scenario files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The source named {@code label}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static DeviceSource parse(String label) {
    for (DeviceSource s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("must be exports or batches, got '" + label + "'");
  }
}
