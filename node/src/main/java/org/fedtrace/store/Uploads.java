package org.fedtrace.store;

import java.util.List;

/** Upload authorizations used (so none is used twice) and the keys waiting for a batch. */
public interface Uploads {
  /**
   * Records the use of an upload's authorization and the keys it covers.
   *
   * @throws org.fedtrace.rules.RuleViolation {@link org.fedtrace.rules.Rule#AUTHORIZATION_USED}
   *     when the authorization was used before
   */
  void accept(AcceptedUpload upload);

  /** Keys accepted from uploads and not yet published, oldest first. */
  List<PendingKey> pending();

  /** Removes pending keys a new batch consumed. */
  void consume(long[] pendingKeyIds);

  /**
   * Forgets authorizations that expired before {@code unixSeconds}, and the domestic-only keys
   * accepted before it (spec §25: they never become a batch, so no batch purge reaches them).
   */
  void forgetExpiredBefore(long unixSeconds);

  /**
   * The domestic-only keys held (spec §25.1) whose id is above {@code afterId} and at most {@code
   * throughId}, in id order, at most {@code max} of them: what the key exporter releases to the
   * node's own phones (R25.14). Ids only grow, and commits are serial, so a reader that remembers
   * the last id it read misses no key.
   */
  List<PendingKey> domestic(long afterId, long throughId, int max);

  /** The highest id of a domestic-only key held, or 0 when none is held. */
  long lastDomesticId();
}
