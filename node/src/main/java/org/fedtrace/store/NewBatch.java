package org.fedtrace.store;

import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * A verified batch about to be stored.
 *
 * @param batch the batch as parsed
 * @param payload the batch's serialized bytes exactly as they will be served to peers (R8.25)
 * @param contentSha256 SHA-256 of its canonical encoding (§5.6)
 * @param receivedFrom the peer it came from, or null for the node's own
 * @param receivedUnixSeconds when it arrived (or was made)
 */
public record NewBatch(
    DiagnosisKeyBatch batch,
    byte[] payload,
    Digest contentSha256,
    OperatorIdentity receivedFrom,
    long receivedUnixSeconds) {
  /** The origin country. */
  public String origin() {
    return batch.getOrigin();
  }

  /** The 16-byte batch id. */
  public byte[] batchId() {
    return batch.getBatchId().toByteArray();
  }

  /** The origin's sequence number. */
  public long sequence() {
    return batch.getSequence();
  }

  /** When the origin made it. */
  public long createdUnixSeconds() {
    return batch.getCreatedUnixSeconds();
  }

  /** Number of keys. */
  public int keyCount() {
    return batch.getKeysCount();
  }

  /** The batch's scope number (spec §25): 1 FEDERATE (every format-1 batch), 2 TRAVELLER. */
  public int scope() {
    return batch.getScopeValue() == 0 ? 1 : batch.getScopeValue();
  }

  /**
   * The smallest rolling_start + rolling_period among the keys: when the first key leaves the
   * retention window, which tells the purge when to look at the batch.
   */
  public long oldestKeyEndInterval() {
    return oldestKeyEnd(batch);
  }

  /** The smallest rolling_start + rolling_period among the keys of {@code batch}. */
  public static long oldestKeyEnd(DiagnosisKeyBatch batch) {
    long oldest = Long.MAX_VALUE;
    for (DiagnosisKey k : batch.getKeysList()) {
      long end = Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) + k.getRollingPeriod();
      oldest = Math.min(oldest, end);
    }
    return oldest;
  }
}
