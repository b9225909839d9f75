package org.fedtrace.sim.metrics;

import java.util.Arrays;
import org.fedtrace.sim.epidemic.Epidemic;

/**
 * The people whose diagnosis triggers notifications, each with the simulated days their report
 * covers (for the federated scheme, the days of their uploaded keys; for the central scheme, the
 * tracker's look-back window).
 */
public final class IndexCases {
  private final int[] firstDay;
  private final int[] lastDay;
  private int count;

  /** No index cases among {@code agents} people. */
  public IndexCases(int agents) {
    firstDay = new int[agents];
    lastDay = new int[agents];
    Arrays.fill(firstDay, Epidemic.NEVER);
  }

  /** Makes {@code agent} an index case covering days {@code first..last}. */
  public void add(int agent, int first, int last) {
    if (firstDay[agent] == Epidemic.NEVER) {
      count++;
    }
    firstDay[agent] = first;
    lastDay[agent] = last;
  }

  /** Whether {@code agent} is an index case whose report covers {@code day}. */
  public boolean covers(int agent, int day) {
    return firstDay[agent] <= day && day <= lastDay[agent];
  }

  /** First covered day of an index case. */
  public int firstDay(int agent) {
    return firstDay[agent];
  }

  /** Last covered day of an index case. */
  public int lastDay(int agent) {
    return lastDay[agent];
  }

  /** Number of index cases. */
  public int size() {
    return count;
  }

  /** Number of people (index cases or not). */
  public int agents() {
    return firstDay.length;
  }
}
