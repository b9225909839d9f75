package org.fedtrace.store;

import java.util.List;

/**
 * An upload the node accepted.
 *
 * @param keys the serialized DiagnosisKeys it covers
 * @param noticeCommitment the device's notice commitment (32 bytes), or null
 * @param scope where its keys may go (spec §25): {@link #DOMESTIC_ONLY}, {@link #FEDERATE} or
 *     {@link #TRAVELLER} (the numbers of the batch scopes)
 */
public record AcceptedUpload(
    byte[] authorizationId,
    long expiresUnixSeconds,
    long acceptedUnixSeconds,
    List<byte[]> keys,
    byte[] noticeCommitment,
    int scope) {
  /** Keys that never leave the country: kept out of every batch (R25.4). */
  public static final int DOMESTIC_ONLY = 0;

  /** Keys for the origin's FEDERATE batches (BatchScope 1). */
  public static final int FEDERATE = 1;

  /** Keys of a traveller, for the origin's TRAVELLER batches (BatchScope 2). */
  public static final int TRAVELLER = 2;

  /** Copies the list. */
  public AcceptedUpload {
    keys = List.copyOf(keys);
    if (scope < DOMESTIC_ONLY || scope > TRAVELLER) {
      throw new IllegalArgumentException("scope must be 0, 1 or 2, got " + scope);
    }
  }

  /** An upload whose keys may federate, as every upload before spec 0.8.0. */
  public AcceptedUpload(
      byte[] authorizationId,
      long expiresUnixSeconds,
      long acceptedUnixSeconds,
      List<byte[]> keys,
      byte[] noticeCommitment) {
    this(
        authorizationId, expiresUnixSeconds, acceptedUnixSeconds, keys, noticeCommitment, FEDERATE);
  }

  /** The same upload with another scope (a test seam replaces the consent with it). */
  public AcceptedUpload withScope(int other) {
    return new AcceptedUpload(
        authorizationId, expiresUnixSeconds, acceptedUnixSeconds, keys, noticeCommitment, other);
  }
}
