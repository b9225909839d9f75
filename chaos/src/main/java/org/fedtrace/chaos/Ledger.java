package org.fedtrace.chaos;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * What the nodes acknowledged, as the harness's clients saw it. An upload is acknowledged when the
 * Upload RPC answered OK; a batch is acknowledged once any node served it (it was then committed to
 * that node's store, and every node must hold it from then on). Thread-safe.
 */
final class Ledger {
  /** One acknowledged upload: its origin and its keys' data. */
  private record Upload(String origin, List<ByteString> keys) {}

  private final List<Upload> uploads = new ArrayList<>();
  private final Map<ByteString, String> batches = new ConcurrentHashMap<>();

  /** What one node holds short of the acknowledged: uploads and batches missing there. */
  record Missing(int uploads, int batches) {
    boolean none() {
      return uploads + batches == 0;
    }
  }

  /** Records that {@code origin}'s node acknowledged an upload of {@code keys}. */
  synchronized void uploaded(String origin, List<DiagnosisKey> keys) {
    uploads.add(new Upload(origin, keys.stream().map(DiagnosisKey::getKeyData).toList()));
  }

  /** Records batches a node served. */
  void served(List<DiagnosisKeyBatch> served) {
    for (DiagnosisKeyBatch b : served) {
      batches.putIfAbsent(b.getBatchId(), b.getOrigin());
    }
  }

  /** What was acknowledged up to one moment: the first uploads, and the batches then served. */
  record Mark(int uploads, List<ByteString> batches) {}

  /** What is acknowledged now. */
  synchronized Mark mark() {
    return new Mark(uploads.size(), List.copyOf(batches.keySet()));
  }

  /** Uploads acknowledged so far. */
  synchronized int uploads() {
    return uploads.size();
  }

  /** Batches acknowledged (served by some node) so far. */
  int batches() {
    return batches.size();
  }

  /**
   * What {@code held} lacks of what was acknowledged by {@code mark}: uploads whose keys are not
   * all in batches of their origin, and batches it does not hold.
   */
  Missing missing(Holdings held, Mark mark) {
    int lostUploads = 0;
    List<Upload> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(uploads.subList(0, mark.uploads()));
    }
    for (Upload u : snapshot) {
      if (!held.hasKeys(u.origin(), u.keys())) {
        lostUploads++;
      }
    }
    int lostBatches = 0;
    for (ByteString id : mark.batches()) {
      if (!held.has(id)) {
        lostBatches++;
      }
    }
    return new Missing(lostUploads, lostBatches);
  }
}
