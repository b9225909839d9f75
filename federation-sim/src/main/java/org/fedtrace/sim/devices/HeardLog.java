package org.fedtrace.sim.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * What the phones heard, kept compactly on the simulator's side: one row per (observer, heard
 * person, 10-minute interval) with the minutes heard and the attenuation the observer measured, but
 * without the 16-byte Rolling Proximity Identifier. The identifier a phone heard is a function of
 * the heard person's key of the day and the interval, so it is derived again when it is needed:
 * only for the people whose keys arrive at a phone, instead of for every row of every day. Rows of
 * a day are grouped by heard person, in the order the contacts were generated.
 *
 * <p>Memory: 7 bytes per row plus 4 bytes per person and day (the group starts), against about 40
 * to 50 bytes per row for an index of the identifiers themselves.
 */
public final class HeardLog {
  private final int people;
  private final List<Day> days = new ArrayList<>();
  private int firstKeptInterval = Integer.MIN_VALUE;
  private long size;

  /** An empty log of the phones of {@code people} people. */
  public HeardLog(int people) {
    this.people = people;
  }

  /**
   * One day's rows.
   *
   * @param day the simulated day of the contacts
   * @param dayEnin the interval number of the day's midnight
   * @param lastOffset the largest offset of a row
   * @param start rows of heard person {@code a} are {@code start[a] .. start[a + 1] - 1}
   * @param observers the observing person of each row
   * @param offsets each row's interval, as intervals after {@code dayEnin} (0..149, unsigned)
   * @param minutes minutes heard in the interval (1..10)
   * @param attenuation attenuation the observer measured, dB (unsigned)
   */
  public record Day(
      int day,
      int dayEnin,
      int lastOffset,
      int[] start,
      int[] observers,
      byte[] offsets,
      byte[] minutes,
      byte[] attenuation) {
    /** Number of rows. */
    public int size() {
      return observers.length;
    }

    /** Interval number (ENIN) of row {@code row}. */
    public int interval(int row) {
      return dayEnin + Byte.toUnsignedInt(offsets[row]);
    }

    /** Last interval number any row of the day can have. */
    int lastInterval() {
      return dayEnin + lastOffset;
    }
  }

  /** Adds the rows of the next day; days come in order from 0. */
  public void add(Day d) {
    if (d.day() != days.size()) {
      throw new IllegalArgumentException("days must be added in order: expected " + days.size());
    }
    if (d.start().length != people + 1) {
      throw new IllegalArgumentException("a day needs " + (people + 1) + " group starts");
    }
    days.add(d);
    size += d.size();
  }

  /**
   * Forgets every row heard before interval {@code enin} (retention): such rows are no longer
   * returned, and a day all of whose rows are older is released.
   */
  public void dropBefore(int enin) {
    firstKeptInterval = Math.max(firstKeptInterval, enin);
    for (int i = 0; i < days.size(); i++) {
      Day d = days.get(i);
      if (d != null && d.lastInterval() < firstKeptInterval) {
        size -= d.size();
        days.set(i, null);
      }
    }
  }

  /** Rows held (including rows of kept days older than the retention cut-off). */
  public long size() {
    return size;
  }

  /**
   * Calls {@code rows} for every kept row in which {@code heard} was heard during the contacts of
   * {@code day}, in the order they were added; nothing if the day is unknown or released.
   */
  public void forEach(int heard, int day, RowConsumer rows) {
    if (day < 0 || day >= days.size() || days.get(day) == null) {
      return;
    }
    Day d = days.get(day);
    for (int row = d.start()[heard]; row < d.start()[heard + 1]; row++) {
      if (d.interval(row) >= firstKeptInterval) {
        rows.accept(d, row);
      }
    }
  }

  /** Receives a row of a day. */
  @FunctionalInterface
  public interface RowConsumer {
    /** Row {@code row} of {@code d}. */
    void accept(Day d, int row);
  }
}
