package org.fedtrace.sim.matching;

/**
 * What the devices of one country heard, indexed for matching. Created by {@link
 * ExposureMatcher#newIndex}; fed with {@link #add} once per simulated day; observations older than
 * the retention window are dropped with {@link #dropBefore}.
 */
public interface ObservationIndex {
  /** Adds a day's observations; the index takes ownership of the arrays. */
  void add(Observations observations);

  /** Drops every observation made before interval {@code enin}. */
  void dropBefore(int enin);

  /** Number of observations held. */
  long size();
}
