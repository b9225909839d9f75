package org.fedtrace.store;

import java.util.OptionalLong;

/**
 * Named leases with fencing tokens, by which the replicas of one node that share a store agree
 * which of them does work that must happen once (publishing own batches, syncing with a peer,
 * purging). Write transactions of a store are serial, so a lease is taken, and checked, inside one
 * with no race; a replica that stops renewing its lease loses it when it expires, and the next
 * holder's token is larger, so work fenced by the old token can no longer commit.
 */
public interface Leases {
  /**
   * Takes the lease {@code name} for {@code holder} until {@code nowMillis + ttlMillis}, or renews
   * it, if it is free, expired or already {@code holder}'s.
   *
   * @return the lease's fencing token (unchanged while one holder renews it, larger whenever it
   *     changes hands), or empty when another holder has it
   */
  OptionalLong acquire(String name, String holder, long nowMillis, long ttlMillis);

  /** Whether {@code holder} holds {@code name} with {@code token} at {@code nowMillis}. */
  boolean holds(String name, String holder, long token, long nowMillis);

  /** Who holds {@code name} at {@code nowMillis}, if anyone. */
  java.util.Optional<String> holder(String name, long nowMillis);

  /** Gives the lease up, if {@code holder} has it, so that another replica can take it at once. */
  void release(String name, String holder);
}
