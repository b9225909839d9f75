package org.fedtrace.store;

import java.util.List;

/**
 * An upload the node accepted.
 *
 * @param keys the serialized DiagnosisKeys it covers
 * @param noticeCommitment the device's notice commitment (32 bytes), or null
 */
public record AcceptedUpload(
    byte[] authorizationId,
    long expiresUnixSeconds,
    long acceptedUnixSeconds,
    List<byte[]> keys,
    byte[] noticeCommitment) {
  /** Copies the list. */
  public AcceptedUpload {
    keys = List.copyOf(keys);
  }
}
