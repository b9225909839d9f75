package org.fedtrace.store;

/**
 * A key accepted from an upload, waiting to be published in a batch.
 *
 * @param key the serialized DiagnosisKey
 * @param authorizationId the id of the authorization it was uploaded under: one per upload, so the
 *     batching policy can count the uploads a batch would mix
 * @param scope the batch scope it goes out in (spec §25): {@link AcceptedUpload#FEDERATE} or {@link
 *     AcceptedUpload#TRAVELLER}; domestic-only keys are never pending
 */
public record PendingKey(
    long id, long acceptedUnixSeconds, byte[] key, byte[] authorizationId, int scope) {}
