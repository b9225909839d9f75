package org.fedtrace.store;

import java.util.List;
import org.fedtrace.crypto.Digest;

/**
 * An accepted upload with a notice commitment.
 *
 * @param batches content hashes of the node's own batches that hold keys of the upload, empty while
 *     its keys wait for a batch
 */
public record NoticeUpload(List<Digest> batches) {
  /** Copies the list. */
  public NoticeUpload {
    batches = List.copyOf(batches);
  }
}
