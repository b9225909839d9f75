package org.fedtrace.sim.matching;

/**
 * What devices heard, in columns: row {@code i} is one Rolling Proximity Identifier heard by device
 * {@code agents[i]} during interval {@code intervals[i]} (ENIN, Unix seconds / 600) for {@code
 * durationMinutes[i]} minutes (1..10) at {@code attenuationDb[i]} dB (as measured, 0..255
 * unsigned). The RPI is {@code rpis[16 * i .. 16 * i + 15]}. The arrays are owned by the index they
 * are given to.
 */
public final class Observations {
  private final int size;
  private final byte[] rpis;
  private final int[] intervals;
  private final int[] agents;
  private final byte[] durationMinutes;
  private final byte[] attenuationDb;

  /**
   * Rows over the given arrays; each must hold at least {@code size} rows.
   *
   * @throws IllegalArgumentException if an array is too short
   */
  public Observations(
      int size,
      byte[] rpis,
      int[] intervals,
      int[] agents,
      byte[] durationMinutes,
      byte[] attenuationDb) {
    if (rpis.length < 16L * size
        || intervals.length < size
        || agents.length < size
        || durationMinutes.length < size
        || attenuationDb.length < size) {
      throw new IllegalArgumentException("an observation column is shorter than " + size);
    }
    this.size = size;
    this.rpis = rpis;
    this.intervals = intervals;
    this.agents = agents;
    this.durationMinutes = durationMinutes;
    this.attenuationDb = attenuationDb;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** The RPIs, 16 bytes per row. */
  public byte[] rpis() {
    return rpis;
  }

  /** Interval numbers (ENIN) by row. */
  public int[] intervals() {
    return intervals;
  }

  /** Observing device (simulated person) by row. */
  public int[] agents() {
    return agents;
  }

  /** Minutes heard by row, 1..10. */
  public byte[] durationMinutes() {
    return durationMinutes;
  }

  /** Measured attenuation in dB by row (unsigned). */
  public byte[] attenuationDb() {
    return attenuationDb;
  }
}
