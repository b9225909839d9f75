package org.fedtrace.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exact daily counts (tallies) a node keeps until it releases them with differential privacy,
 * and the releases (spec transparency.md §16). A tally is a number per day and cell name, never a
 * row per upload; a day's tallies are deleted when the day is released, and a release is kept as it
 * was published, so that its noise is drawn once.
 */
public interface Statistics {
  /** A published day: its ε, the ledger entry recording it, the hash and text of the release. */
  record StoredRelease(String day, String epsilon, long leafIndex, byte[] sha256, String body) {}

  /** Adds {@code counts} to the day's cells. */
  void add(String day, Map<String, Long> counts);

  /** The day's exact counts by cell. */
  Map<String, Long> tallies(String day);

  /** Deletes the exact counts of {@code day}, once it is released or refused. */
  void dropTallies(String day);

  /** The earliest day with exact counts, if any. */
  Optional<String> earliestTally();

  /** The first day releases cover (the day statistics began), if they began. */
  Optional<String> firstDay();

  /** The index of the first log entry not yet tallied; 0 when none was. */
  long nextLogIndex();

  /** Records where tallying stands: the first day and the next log entry. */
  void setState(String firstDay, long nextLogIndex);

  /** Stores a release; a day is released once. */
  void putRelease(StoredRelease release);

  /** Every release, oldest day first. */
  List<StoredRelease> releases();
}
