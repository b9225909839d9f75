package org.fedtrace.node.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.StoredBatch;

/** Reading the batches the store holds. */
public final class StoredBatches {
  private StoredBatches() {}

  /**
   * Parses a stored batch; the store only holds payloads that parsed when they arrived.
   *
   * @throws IllegalStateException if the stored bytes no longer parse
   */
  public static DiagnosisKeyBatch parse(StoredBatch stored) {
    try {
      return DiagnosisKeyBatch.parseFrom(stored.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "the stored batch at position " + stored.position() + " does not parse", e);
    }
  }
}
