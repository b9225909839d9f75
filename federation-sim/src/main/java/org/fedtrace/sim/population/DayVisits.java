package org.fedtrace.sim.population;

/**
 * Where everybody was on one day: each person's one-hour visits as {@code place * 24 + hour}, a
 * fixed number of slots per person, {@link #NO_VISIT} for slots not used (isolation).
 */
public final class DayVisits {
  /** An unused slot. */
  public static final int NO_VISIT = -1;

  private final int day;
  private final int perAgent;
  private final int[] placeHours;

  /** Visits of {@code day} with {@code perAgent} slots per person, as {@code place * 24 + hour}. */
  public DayVisits(int day, int perAgent, int[] placeHours) {
    this.day = day;
    this.perAgent = perAgent;
    this.placeHours = placeHours;
  }

  /** The simulated day. */
  public int day() {
    return day;
  }

  /** Slots per person. */
  public int perAgent() {
    return perAgent;
  }

  /** Visit {@code k} of person {@code a}: {@code place * 24 + hour}, or {@link #NO_VISIT}. */
  public int visit(int a, int k) {
    return placeHours[a * perAgent + k];
  }

  /** Number of people. */
  public int agents() {
    return placeHours.length / perAgent;
  }

  /** The place of a visit value. */
  public static int place(int placeHour) {
    return placeHour / 24;
  }

  /** The hour of day (0..23) of a visit value. */
  public static int hour(int placeHour) {
    return placeHour % 24;
  }

  /** The visits grouped by place and hour: who was where together. */
  public Gatherings gatherings(int places) {
    int keys = places * 24;
    int[] start = new int[keys + 1];
    for (int v : placeHours) {
      if (v != NO_VISIT) {
        start[v + 1]++;
      }
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    int[] members = new int[start[keys]];
    int[] next = start.clone();
    for (int i = 0; i < placeHours.length; i++) {
      int v = placeHours[i];
      if (v != NO_VISIT) {
        members[next[v]++] = i / perAgent;
      }
    }
    return new Gatherings(start, members);
  }

  /**
   * People present at the same place in the same hour, by {@code place * 24 + hour}.
   *
   * @param start members of group {@code g} are {@code members[start[g] .. start[g + 1] - 1]}
   * @param members person ids, ascending within a group
   */
  public record Gatherings(int[] start, int[] members) {
    /** Number of groups (places times 24). */
    public int groups() {
      return start.length - 1;
    }

    /** Size of group {@code g}. */
    public int size(int g) {
      return start[g + 1] - start[g];
    }
  }
}
