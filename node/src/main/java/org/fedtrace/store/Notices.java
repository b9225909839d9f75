package org.fedtrace.store;

import java.util.Optional;
import org.fedtrace.crypto.Digest;

/**
 * The link from an upload to the node's own batches holding its keys, for the notice query
 * (spec/transparency.md §7). Only uploads with a notice commitment are linked; nothing records
 * which keys of a batch are padding (R21.21).
 */
public interface Notices {
  /**
   * Links the uploads whose pending keys {@code pendingKeyIds} a new own batch consumes to that
   * batch's content hash; call it before the keys are consumed.
   */
  void link(long[] pendingKeyIds, Digest batch, long nowUnixSeconds);

  /** The upload whose notice commitment is {@code commitment}, while the node still holds it. */
  Optional<NoticeUpload> find(byte[] commitment);

  /**
   * Deletes the links of uploads whose authorization the node no longer holds.
   *
   * @return how many links were deleted
   */
  int forgetUnreferenced();
}
