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
}
