package org.fedtrace.node;

/**
 * Records every exchange event the node takes part in. The transparency log implements it; the
 * events never carry key material, only hashes, origins, peers and counts.
 */
public interface ExchangeLog {
  /** Kinds of exchange events (the leaves of the transparency log). */
  enum Event {
    BATCH_CREATED,
    BATCH_RECEIVED,
    BATCH_SENT,
    BATCH_FORWARDED,
    BATCH_REFUSED,
    BATCH_PURGED,
    SUNSET_ERASURE,
    UPLOAD_AUTHORIZED
  }

  /**
   * Records one event.
   *
   * @param subjectSha256 hash of the batch's canonical encoding or of the authorization
   * @param origin the batch's origin (or the node's country)
   * @param peer the peer concerned ("CC/operator-id"), or "" when none
   * @param keyCount keys concerned
   * @param reason the rule id of a refusal, or ""
   * @return the index of the entry in the log, or -1 when this log keeps no indexes
   */
  long record(
      Event event, byte[] subjectSha256, String origin, String peer, long keyCount, String reason);
}
