package org.fedtrace.conformance.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;

/**
 * The suite's own log-entry encoding (spec/transparency.md §5.1, and §5.1.1 for an entry with a
 * member origin), written from the spec and checked against
 * spec/testvectors/transparency_log_v1.json: the leaf bytes of a {@link LogEntry} and its RFC 6962
 * leaf hash. The encoder refuses entries that do not have the shape the event table of §3 gives
 * their type, as the spec requires of every encoder.
 */
public final class LogEncoding {
  private static final byte[] LABEL = "fedtrace.v1.log-entry\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MEMBER_LABEL =
      "fedtrace.v1.member-log-entry\0".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern MEMBER_ORIGIN = Pattern.compile("[A-Z]{2}-[a-z0-9-]{1,32}");
  private static final Pattern PEER = Pattern.compile("[A-Z]{2}/[a-z0-9-]{1,32}");
  private static final Pattern REASON = Pattern.compile("R[1-9][0-9]*\\.[1-9][0-9]*");
  private static final int MAX_REASON = 16;

  /** Event types that name the peer on the other end. */
  private static final Set<EventType> WITH_PEER =
      Set.of(
          EventType.EVENT_TYPE_BATCH_RECEIVED,
          EventType.EVENT_TYPE_BATCH_SENT,
          EventType.EVENT_TYPE_BATCH_FORWARDED,
          EventType.EVENT_TYPE_BATCH_REFUSED);

  private LogEncoding() {}

  /**
   * The leaf bytes of {@code e} ({@code leaf_index} is not part of them).
   *
   * @throws IllegalArgumentException if {@code e} does not have the shape of §3 for its type
   */
  public static byte[] encode(LogEntry e) {
    int type = e.getEventTypeValue();
    if ((type < 1 || type > 9) && type != EventType.EVENT_TYPE_STATISTICS_RELEASED_VALUE) {
      throw new IllegalArgumentException("event_type " + type + " is not one of 1..9 or 11");
    }
    EventType t = e.getEventType();
    if (e.getSubjectSha256().size() != Merkle.HASH_BYTES) {
      throw new IllegalArgumentException("subject_sha256 is not 32 bytes");
    }
    boolean refusal = t == EventType.EVENT_TYPE_BATCH_REFUSED;
    String origin = e.getOrigin();
    // a member origin (protocol.md §26.2) only in an entry about a batch (§5.1.1)
    boolean member =
        MEMBER_ORIGIN.matcher(origin).matches()
            && t != EventType.EVENT_TYPE_UPLOAD_AUTHORIZED
            && t != EventType.EVENT_TYPE_STATISTICS_RELEASED;
    if (!COUNTRY.matcher(origin).matches() && !member && !(refusal && origin.isEmpty())) {
      throw new IllegalArgumentException("origin '" + origin + "' is not allowed for " + t);
    }
    String peer = e.getPeer();
    if (WITH_PEER.contains(t) ? !PEER.matcher(peer).matches() : !peer.isEmpty()) {
      throw new IllegalArgumentException("peer '" + peer + "' is not allowed for " + t);
    }
    String reason = e.getReason();
    boolean reasonOk =
        refusal
            ? reason.length() <= MAX_REASON && REASON.matcher(reason).matches()
            : t == EventType.EVENT_TYPE_BATCH_IMPORTED
                ? reason.matches("[A-Za-z0-9._-]{1,16}")
                : t == EventType.EVENT_TYPE_STATISTICS_RELEASED
                    ? reason.matches("(0|[1-9][0-9]{0,5})(\\.[0-9]{0,8}[1-9])?")
                        && reason.matches(".*[1-9].*")
                    : reason.isEmpty();
    if (!reasonOk) {
      throw new IllegalArgumentException("reason '" + reason + "' is not allowed for " + t);
    }
    if (t == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED && e.getKeyCount() != 0) {
      throw new IllegalArgumentException("an UPLOAD_AUTHORIZED entry must count 0 keys");
    }
    if (t == EventType.EVENT_TYPE_STATISTICS_RELEASED && e.getKeyCount() != 0) {
      throw new IllegalArgumentException("a STATISTICS_RELEASED entry must count 0 keys");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(member ? MEMBER_LABEL : LABEL);
    out.write(type);
    out.writeBytes(ByteBuffer.allocate(8).putLong(e.getTimeUnixSeconds()).array());
    out.writeBytes(e.getSubjectSha256().toByteArray());
    if (member) {
      out.write(origin.length());
      out.writeBytes(ascii(origin));
    } else {
      out.writeBytes(origin.isEmpty() ? new byte[2] : ascii(origin));
    }
    out.write(peer.length());
    out.writeBytes(ascii(peer));
    out.writeBytes(ByteBuffer.allocate(4).putInt(e.getKeyCount()).array());
    out.write(reason.length());
    out.writeBytes(ascii(reason));
    return out.toByteArray();
  }

  /**
   * The RFC 6962 leaf hash of {@code e}: SHA-256(0x00 ‖ its leaf bytes).
   *
   * @throws IllegalArgumentException if {@code e} cannot be encoded
   */
  public static byte[] leafHash(LogEntry e) {
    return Merkle.leafHash(encode(e));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
