package org.fedtrace.store;

import java.util.List;
import java.util.Optional;

/**
 * The batches a node holds, its own and received ones, each at a position in commit order, and the
 * seen-batch record (origin, batch id, sequence, content hash) that outlives the keys, so a replay
 * is recognized after a purge.
 */
public interface Batches {
  /** Outcome of storing a batch. */
  enum Insert {
    /** Newly stored. */
    STORED,
    /** The same batch was already stored; nothing changed. */
    DUPLICATE
  }

  /**
   * Stores {@code batch}, or recognizes it as stored (same origin, id and content).
   *
   * @throws org.fedtrace.rules.RuleViolation {@link org.fedtrace.rules.Rule#BATCH_ID_CONFLICT} for
   *     the same id with other content (R8.22), {@link org.fedtrace.rules.Rule#SEQUENCE_CONFLICT}
   *     for a sequence number of the origin used by another batch (R8.23)
   */
  Insert insert(NewBatch batch);

  /** Whether a batch with the origin, id and content hash of {@code batch} is stored. */
  boolean holds(NewBatch batch);

  /**
   * Up to {@code max} batches after {@code position} that may be served to {@code recipient},
   * oldest first: the filter runs in the query, so a page is never cut short by batches the
   * recipient does not get.
   *
   * @return the batches and the position to continue after: the last batch's when the page is full,
   *     else the newest position the store held when it looked
   */
  Page servableAfter(long position, int max, Recipient recipient);

  /**
   * Up to {@code max} batches after {@code position} that still hold keys, servable or not (a batch
   * that lost keys to the purge is no longer served but its other keys still count), oldest first:
   * what operator-assisted matching follows. The page's last position is as in {@link
   * #servableAfter}.
   */
  Page withKeysAfter(long position, int max);

  /**
   * The batch {@code batchId} of {@code origin} if it is servable by the window, creation bound and
   * origins of {@code r} (not by its peer: GetBatch answers whoever asks for a servable batch).
   */
  Optional<StoredBatch> servable(String origin, byte[] batchId, Recipient r);

  /** Position of the newest batch, or 0 when the store holds none. */
  long lastPosition();

  /** The highest sequence number stored for {@code origin}, or 0. */
  long highestSequence(String origin);

  /** The batches of {@code origin} still holding keys, oldest first. */
  List<StoredBatch> ofOrigin(String origin);

  /** Number of batch records, including purged ones still remembered. */
  long recordCount();

  /** Batches holding a key whose validity ended before {@code cutoffInterval} (for the purge). */
  List<StoredBatch> withKeysEndingBefore(long cutoffInterval);

  /**
   * Replaces a batch's keys after a purge: with the remaining keys (the batch can no longer be
   * verified, so it is no longer served) or with nothing when none remains.
   */
  void replacePayload(long position, byte[] payload, int keyCount, long oldestKeyEnd);

  /**
   * Forgets batch records created before {@code createdBefore} whose keys are all gone.
   *
   * @return how many were forgotten
   */
  int forgetBefore(long createdBefore);

  /** Every batch whose origin is not {@code country}, oldest first, without its keys. */
  List<BatchRecord> foreign(String country);

  /** Erases every batch whose origin is not {@code country}, records included. */
  void eraseForeign(String country);
}
