package org.fedtrace.sim.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * What the phones heard, kept compactly on the simulator's side: one entry per contact and phone
 * (observer, heard person, start minute, duration, the attenuation the observer measured), without
 * the 16-byte Rolling Proximity Identifiers. An entry stands for one row per 10-minute interval the
 * contact overlaps, with the minutes heard in that interval: the rows {@link #forEach} gives, the
 * same as the phone recorded. The identifier a phone heard is a function of the heard person's key
 * of the day and the interval, so it is derived again when it is needed: only for the people whose
 * keys arrive at a phone, instead of for every row of every day. Entries of a day are grouped by
 * heard person, in the order the contacts were generated.
 *
 * <p>Memory: 8 bytes per entry (a 15-minute contact is 2 or 3 rows) plus 4 bytes per person and day
 * (the group starts), against about 45 bytes per row for an index of the identifiers.
 */
public final class HeardLog {
  private static final int INTERVAL_MINUTES = 10;

  private final int people;
  private final List<Day> days = new ArrayList<>();
  private int firstKeptInterval = Integer.MIN_VALUE;
  private long size;

  /** An empty log of the phones of {@code people} people. */
  public HeardLog(int people) {
    this.people = people;
  }

  /**
   * One day's entries.
   *
   * @param day the simulated day of the contacts
   * @param dayEnin the interval number of the day's midnight
   * @param rows the number of rows the entries stand for
   * @param start entries of heard person {@code a} are {@code start[a] .. start[a + 1] - 1}
   * @param observers the observing person of each entry
   * @param minutes the contact's start, minutes after midnight
   * @param durations the contact's length in minutes (1..127)
   * @param attenuation attenuation the observer measured, dB (unsigned)
   */
  public record Day(
      int day,
      int dayEnin,
      int rows,
      int[] start,
      int[] observers,
      short[] minutes,
      byte[] durations,
      byte[] attenuation) {
    /** Last interval number a row of the day can have. */
    int lastInterval() {
      int last = 0;
      for (int e = 0; e < minutes.length; e++) {
        last = Math.max(last, (minutes[e] + durations[e] - 1) / INTERVAL_MINUTES);
      }
      return dayEnin + last;
    }
  }

  /** Adds the entries of the next day; days come in order from 0. */
  public void add(Day d) {
    if (d.day() != days.size()) {
      throw new IllegalArgumentException("days must be added in order: expected " + days.size());
    }
    if (d.start().length != people + 1) {
      throw new IllegalArgumentException("a day needs " + (people + 1) + " group starts");
    }
    days.add(d);
    size += d.rows();
  }

  /**
   * Forgets every row heard before interval {@code enin} (retention): such rows are no longer
   * returned, and a day all of whose rows are older is released.
   */
  public void dropBefore(int enin) {
    if (enin <= firstKeptInterval) {
      return;
    }
    firstKeptInterval = enin;
    for (int i = 0; i < days.size(); i++) {
      Day d = days.get(i);
      if (d != null && d.lastInterval() < firstKeptInterval) {
        size -= d.rows();
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
   * {@code day}: per contact in the order they were added, per interval in ascending order; nothing
   * if the day is unknown or released.
   */
  public void forEach(int heard, int day, RowConsumer rows) {
    if (day < 0 || day >= days.size() || days.get(day) == null) {
      return;
    }
    Day d = days.get(day);
    for (int e = d.start()[heard]; e < d.start()[heard + 1]; e++) {
      int m0 = d.minutes()[e];
      int m1 = m0 + d.durations()[e];
      for (int k = m0 / INTERVAL_MINUTES; k * INTERVAL_MINUTES < m1; k++) {
        int interval = d.dayEnin() + k;
        if (interval >= firstKeptInterval) {
          int from = Math.max(m0, k * INTERVAL_MINUTES);
          int minutes = Math.min(m1, k * INTERVAL_MINUTES + INTERVAL_MINUTES) - from;
          rows.accept(interval, d.observers()[e], minutes, Byte.toUnsignedInt(d.attenuation()[e]));
        }
      }
    }
  }

  /** Receives a row. */
  @FunctionalInterface
  public interface RowConsumer {
    /**
     * {@code observer} heard the person during {@code interval} for {@code minutes} at {@code db}.
     */
    void accept(int interval, int observer, int minutes, int db);
  }
}
