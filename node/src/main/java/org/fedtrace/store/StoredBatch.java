package org.fedtrace.store;

import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;

/**
 * A batch as stored.
 *
 * @param position local commit order, what cursors point at
 * @param receivedFrom the peer it came from, or null for the node's own
 * @param payload the serialized DiagnosisKeyBatch
 * @param contentSha256 SHA-256 of the batch's canonical encoding as received (§5.6)
 * @param keyCount keys in {@code payload}
 */
public record StoredBatch(
    long position,
    String origin,
    OperatorIdentity receivedFrom,
    byte[] payload,
    Digest contentSha256,
    int keyCount) {
  /** Whether this is one of the node's own batches. */
  public boolean own() {
    return receivedFrom == null;
  }
}
