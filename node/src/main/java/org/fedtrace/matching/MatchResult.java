package org.fedtrace.matching;

import java.util.List;

/**
 * What matching a batch of keys against an index found.
 *
 * @param exposures one per (device, key) pair with at least one matched observation, ordered by
 *     device, then key index
 * @param rpis how many RPIs were derived: the sum of the keys' rolling periods
 * @param matchedObservations how many observations matched, over all exposures
 */
public record MatchResult(List<Exposure> exposures, long rpis, long matchedObservations) {
  /** Defensive copy. */
  public MatchResult {
    exposures = List.copyOf(exposures);
  }

  /** Number of exposures whose score reaches the threshold. */
  public long notifiedCount() {
    return exposures.stream().filter(Exposure::notified).count();
  }
}
