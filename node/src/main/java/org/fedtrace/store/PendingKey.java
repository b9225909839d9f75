package org.fedtrace.store;

/**
 * A key accepted from an upload, waiting to be published in a batch or, domestic-only, held for the
 * node's own exports.
 *
 * @param key the serialized DiagnosisKey
 * @param authorizationId the id of the authorization it was uploaded under: one per upload, so the
 *     batching policy can count the uploads a batch would mix
 * @param scope the batch scope it goes out in (spec §25): {@link AcceptedUpload#FEDERATE} or {@link
 *     AcceptedUpload#TRAVELLER}, or {@link AcceptedUpload#DOMESTIC_ONLY} for a key that never
 *     becomes a batch and is read only by the key exporter (R25.14)
 */
public record PendingKey(
    long id, long acceptedUnixSeconds, byte[] key, byte[] authorizationId, int scope) {}
