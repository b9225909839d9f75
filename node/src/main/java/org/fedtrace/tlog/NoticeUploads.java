package org.fedtrace.tlog;

import java.util.List;
import java.util.Optional;

/**
 * The node's record of accepted uploads, as the notice query needs it: which upload has a given
 * notice commitment, and which of the node's own batches hold its keys. The node implements it over
 * its store ({@link SqliteNoticeUploads}).
 */
public interface NoticeUploads {
  /**
   * An accepted upload.
   *
   * @param batchSubjects content hashes of the node's own batches that hold keys of the upload,
   *     empty while its keys wait for a batch
   */
  record Upload(List<byte[]> batchSubjects) {
    /** Copies the list. */
    public Upload {
      batchSubjects = List.copyOf(batchSubjects);
    }
  }

  /** The upload whose notice commitment is {@code commitment}, if the node still holds it. */
  Optional<Upload> find(byte[] commitment);
}
