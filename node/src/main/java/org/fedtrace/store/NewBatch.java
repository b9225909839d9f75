package org.fedtrace.store;

/**
 * A verified batch about to be stored.
 *
 * @param payload the serialized DiagnosisKeyBatch exactly as it will be served to peers
 * @param receivedFrom the peer it came from ("CC/operator-id"), or null for the node's own
 * @param oldestKeyEndInterval the smallest rolling_start + rolling_period among its keys, which
 *     tells the purge when the first key leaves the retention window
 */
public record NewBatch(
    String origin,
    byte[] batchId,
    long sequence,
    long createdUnixSeconds,
    byte[] contentSha256,
    int keyCount,
    String receivedFrom,
    long receivedUnixSeconds,
    long oldestKeyEndInterval,
    byte[] payload) {}
