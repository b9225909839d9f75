package org.fedtrace.store;

/**
 * A batch as stored.
 *
 * @param position local arrival order, what cursors point at
 * @param receivedFrom the peer it came from, or null for the node's own
 * @param payload the serialized DiagnosisKeyBatch
 * @param contentSha256 SHA-256 of the batch's canonical encoding as received (§5.6)
 * @param keyCount keys in {@code payload}
 */
public record StoredBatch(
    long position,
    String origin,
    String receivedFrom,
    byte[] payload,
    byte[] contentSha256,
    int keyCount) {}
