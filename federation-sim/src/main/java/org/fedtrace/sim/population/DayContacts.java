package org.fedtrace.sim.population;

import java.util.Arrays;

/**
 * The contacts of one day, in primitive arrays: who met whom, when (minute of the day), for how
 * long (minutes, 1..60) and how close (true attenuation in dB). Ground truth.
 */
public final class DayContacts {
  private final int day;
  private int size;
  private int householdFrom = Integer.MAX_VALUE;
  private int[] first;
  private int[] second;
  private short[] minute;
  private byte[] duration;
  private byte[] attenuation;

  /** An empty list of the contacts of {@code day}. */
  public DayContacts(int day) {
    this(day, 1024);
  }

  /**
   * An empty list of the contacts of {@code day} with room for {@code capacity} contacts before it
   * grows (a list that grows doubles, and holds the old and the new arrays while it copies).
   */
  public DayContacts(int day, int capacity) {
    this.day = day;
    int n = Math.max(16, capacity);
    first = new int[n];
    second = new int[n];
    minute = new short[n];
    duration = new byte[n];
    attenuation = new byte[n];
  }

  /** Adds a contact. */
  public void add(int a, int b, int minuteOfDay, int durationMinutes, int attenuationDb) {
    if (size == first.length) {
      int n = (int) Math.min(Integer.MAX_VALUE - 8, size * 2L);
      first = Arrays.copyOf(first, n);
      second = Arrays.copyOf(second, n);
      minute = Arrays.copyOf(minute, n);
      duration = Arrays.copyOf(duration, n);
      attenuation = Arrays.copyOf(attenuation, n);
    }
    first[size] = a;
    second[size] = b;
    minute[size] = (short) minuteOfDay;
    duration[size] = (byte) durationMinutes;
    attenuation[size] = (byte) attenuationDb;
    size++;
  }

  /** Contacts added from now on are between members of one household. */
  public void startHouseholds() {
    householdFrom = size;
  }

  /** Whether contact {@code i} is between members of one household (at home). */
  public boolean isHousehold(int i) {
    return i >= householdFrom;
  }

  /** Releases unused capacity once the day is complete. */
  public void trim() {
    first = Arrays.copyOf(first, size);
    second = Arrays.copyOf(second, size);
    minute = Arrays.copyOf(minute, size);
    duration = Arrays.copyOf(duration, size);
    attenuation = Arrays.copyOf(attenuation, size);
  }

  /** The simulated day. */
  public int day() {
    return day;
  }

  /** Number of contacts. */
  public int size() {
    return size;
  }

  /** One person of contact {@code i}. */
  public int first(int i) {
    return first[i];
  }

  /** The other person of contact {@code i}. */
  public int second(int i) {
    return second[i];
  }

  /** Start of contact {@code i}, minutes after midnight. */
  public int minute(int i) {
    return minute[i];
  }

  /** Simulated hour (hours since the start of day 0) when contact {@code i} started. */
  public int hour(int i) {
    return day * 24 + minute[i] / 60;
  }

  /** Duration of contact {@code i} in minutes. */
  public int duration(int i) {
    return duration[i];
  }

  /** True attenuation of contact {@code i} in dB. */
  public int attenuation(int i) {
    return attenuation[i] & 0xff;
  }
}
