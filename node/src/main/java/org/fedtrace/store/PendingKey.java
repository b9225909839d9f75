package org.fedtrace.store;

/**
 * A key accepted from an upload, waiting to be published in a batch.
 *
 * @param key the serialized DiagnosisKey
 * @param authorizationId the id of the authorization it was uploaded under: one per upload, so the
 *     batching policy can count the uploads a batch would mix
 */
public record PendingKey(long id, long acceptedUnixSeconds, byte[] key, byte[] authorizationId) {}
