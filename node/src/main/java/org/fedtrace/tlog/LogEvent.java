package org.fedtrace.tlog;

import java.util.Objects;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.EventType;

/**
 * One event an application hands to its transparency log (spec/transparency.md §5): what happened,
 * to which batch or authorization (by its hash), which origin and peer it concerns, how many keys,
 * and for a refusal the rule broken. Never key material. The log adds the leaf index and the time.
 *
 * <p>The constructor only rejects missing values; whether the event has a shape of the spec's event
 * table is checked when it is appended ({@link LogEntries#checkShape}). The factories make the
 * shapes the table allows.
 *
 * @param subject hash of the batch's canonical encoding or of the authorization's encoding
 * @param origin the batch's origin, or "" in a refusal of a batch without a valid one; a member
 *     origin {@code CC-operator-id} is recorded whole (transparency.md §5.1.1, R26.16)
 * @param peer the peer the event concerns, or null when none
 * @param reason the rule id of a refusal (such as R8.19), else ""
 */
public record LogEvent(
    EventType type,
    Digest subject,
    String origin,
    OperatorIdentity peer,
    long keyCount,
    String reason) {
  /** Checks that no value is missing. */
  public LogEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
  }

  /** The node signed and stored one of its own batches. */
  public static LogEvent created(Digest batch, String origin, long keys) {
    return new LogEvent(EventType.EVENT_TYPE_BATCH_CREATED, batch, origin, null, keys, "");
  }

  /** A batch from {@code from} was stored. */
  public static LogEvent received(Digest batch, String origin, OperatorIdentity from, long keys) {
    return new LogEvent(EventType.EVENT_TYPE_BATCH_RECEIVED, batch, origin, from, keys, "");
  }

  /** A batch was delivered to {@code to}: sent when it is the node's own, else forwarded. */
  public static LogEvent delivered(
      Digest batch, String origin, OperatorIdentity to, long keys, boolean own) {
    EventType type = own ? EventType.EVENT_TYPE_BATCH_SENT : EventType.EVENT_TYPE_BATCH_FORWARDED;
    return new LogEvent(type, batch, origin, to, keys, "");
  }

  /** A batch from {@code from} was refused under rule {@code rule}. */
  public static LogEvent refused(
      Digest batch, String origin, OperatorIdentity from, long keys, String rule) {
    return new LogEvent(EventType.EVENT_TYPE_BATCH_REFUSED, batch, origin, from, keys, rule);
  }

  /** The retention purge removed {@code keys} keys of a stored batch. */
  public static LogEvent purged(Digest batch, String origin, long keys) {
    return new LogEvent(EventType.EVENT_TYPE_BATCH_PURGED, batch, origin, null, keys, "");
  }

  /** The sunset erasure removed a foreign batch holding {@code keys} keys. */
  public static LogEvent erased(Digest batch, String origin, long keys) {
    return new LogEvent(EventType.EVENT_TYPE_SUNSET_ERASURE, batch, origin, null, keys, "");
  }

  /** A batch of the node's own country made from an imported key export of {@code source}. */
  public static LogEvent imported(Digest batch, String origin, long keys, String source) {
    return new LogEvent(EventType.EVENT_TYPE_BATCH_IMPORTED, batch, origin, null, keys, source);
  }

  /**
   * One day's differentially private statistics were released at a privacy loss of {@code epsilon}
   * (a decimal such as 0.25); {@code release} is the hash of what was released.
   */
  public static LogEvent statisticsReleased(Digest release, String country, String epsilon) {
    return new LogEvent(
        EventType.EVENT_TYPE_STATISTICS_RELEASED, release, country, null, 0, epsilon);
  }

  /** An upload authorization was used; the key count of an upload is never logged (R13.6). */
  public static LogEvent uploadAuthorized(Digest authorization, String country) {
    return new LogEvent(
        EventType.EVENT_TYPE_UPLOAD_AUTHORIZED, authorization, country, null, 0, "");
  }
}
