package org.fedtrace.store;

/**
 * A batch as stored.
 *
 * @param position local arrival order, what cursors point at
 * @param receivedFrom the peer it came from, or null for the node's own
 * @param payload the serialized DiagnosisKeyBatch
 */
public record StoredBatch(long position, String origin, String receivedFrom, byte[] payload) {}
