package org.fedtrace.sim.devices;

import com.google.protobuf.ByteString;

/**
 * What the phones heard during one day, grouped by the person heard: row {@code i} is one Rolling
 * Proximity Identifier of person {@link #subject}'s key of the day, heard by the phone of {@link
 * #observer} during interval {@link #interval} for {@link #minutes} minutes at {@link
 * #attenuationDb} dB. The rows of person {@code s} are {@code first(s) .. end(s) - 1}.
 *
 * <p>Who was heard is ground truth that stays on the simulator's side: the simulated operators use
 * it only to leave out observations that can never match (see {@code OperatorBackends}).
 */
public final class Sightings {
  private final int day;
  private final int size;
  private final byte[] rpis;
  private final int[] intervals;
  private final int[] observers;
  private final byte[] minutes;
  private final byte[] attenuation;
  private final int[] start;

  Sightings(
      int day,
      int size,
      byte[] rpis,
      int[] intervals,
      int[] observers,
      byte[] minutes,
      byte[] attenuation,
      int[] start) {
    this.day = day;
    this.size = size;
    this.rpis = rpis;
    this.intervals = intervals;
    this.observers = observers;
    this.minutes = minutes;
    this.attenuation = attenuation;
    this.start = start;
  }

  /** The simulated day. */
  public int day() {
    return day;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** First row of the person heard {@code subject}. */
  public int first(int subject) {
    return start[subject];
  }

  /** One past the last row of the person heard {@code subject}. */
  public int end(int subject) {
    return start[subject + 1];
  }

  /** The RPI of row {@code row}. */
  public ByteString rpi(int row) {
    return ByteString.copyFrom(rpis, 16 * row, 16);
  }

  /** The interval number (ENIN) row {@code row} was heard in. */
  public int interval(int row) {
    return intervals[row];
  }

  /** The person whose phone heard row {@code row}. */
  public int observer(int row) {
    return observers[row];
  }

  /** Minutes heard, 1..10. */
  public int minutes(int row) {
    return Byte.toUnsignedInt(minutes[row]);
  }

  /** Attenuation the observer's phone measured, in dB, 0..255. */
  public int attenuationDb(int row) {
    return Byte.toUnsignedInt(attenuation[row]);
  }
}
