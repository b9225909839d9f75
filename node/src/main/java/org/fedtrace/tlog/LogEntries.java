package org.fedtrace.tlog;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.fedtrace.crypto.DomainLabel;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;

/**
 * The log-entry encoding (spec/transparency.md section 5.1): the leaf bytes of the log, whose RFC
 * 6962 leaf hash the tree holds. {@code leaf_index} is not encoded; a leaf is identified by its
 * position.
 *
 * <pre>
 * "fedtrace.v1.log-entry" 0x00 | u8 event_type | i64 time_unix_seconds | 32 subject_sha256
 * | 2 origin (or 00 00) | u8 length | peer | u32 key_count | u8 length | reason
 * </pre>
 *
 * <p>An entry whose origin is a member origin {@code CC-operator-id} (protocol.md §26.2) has the
 * member layout (transparency.md §5.1.1, R26.16): the label {@code "fedtrace.v1.member-log-entry"
 * 0x00} and the origin length-prefixed in place of the two origin bytes. Every other entry keeps
 * the layout above, byte for byte.
 *
 * <p>The encoding is defined only for entries of the shapes the spec's event table allows; {@link
 * #encode} refuses any other, and {@link #decode} refuses bytes that are not exactly the encoding
 * of such an entry, so encoding and decoding are inverse.
 */
public final class LogEntries {
  /** Domain label of the log-entry encoding, with its 0x00 terminator (22 bytes). */
  public static final byte[] DOMAIN = DomainLabel.of("fedtrace.v1.log-entry");

  /**
   * Domain label of the log-entry encoding of an entry with a member origin (transparency.md
   * §5.1.1), with its 0x00 terminator (29 bytes).
   */
  public static final byte[] MEMBER_DOMAIN = DomainLabel.of("fedtrace.v1.member-log-entry");

  /** Longest member origin: two letters, a hyphen and a 32-character operator id. */
  public static final int MAX_MEMBER_ORIGIN = 35;

  /** Longest peer string: two letters, a slash and a 32-character operator id. */
  public static final int MAX_PEER = 35;

  /** Longest reason string. */
  public static final int MAX_REASON = 16;

  private static final Pattern PEER = Pattern.compile("[A-Z]{2}/[a-z0-9-]{1,32}");
  private static final Pattern REASON = Pattern.compile("R[1-9][0-9]*\\.[1-9][0-9]*");
  private static final Pattern MEMBER_ORIGIN = Pattern.compile("[A-Z]{2}-[a-z0-9-]{1,32}");

  /** The source an import names: letters, digits, '.', '_' and '-' (transparency.md §3). */
  public static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,16}");

  /**
   * The privacy loss a statistics release names: a positive decimal of at most 6 integer digits and
   * 9 places, without trailing zeros (transparency.md §16).
   */
  public static final Pattern EPSILON = Pattern.compile("(0|[1-9][0-9]{0,5})(\\.[0-9]{0,8}[1-9])?");

  private static final int FIXED = DOMAIN.length + 1 + 8 + 32 + 2 + 1 + 4 + 1;
  private static final int MEMBER_FIXED = MEMBER_DOMAIN.length + 1 + 8 + 32 + 1 + 1 + 4 + 1;

  private LogEntries() {}

  /**
   * The leaf bytes of {@code entry}.
   *
   * @throws IllegalArgumentException naming the first field that breaks the spec's table
   */
  public static byte[] encode(LogEntry entry) {
    checkShape(entry);
    byte[] peer = entry.getPeer().getBytes(StandardCharsets.US_ASCII);
    byte[] reason = entry.getReason().getBytes(StandardCharsets.US_ASCII);
    byte[] origin = entry.getOrigin().getBytes(StandardCharsets.US_ASCII);
    boolean member = origin.length > 2;
    ByteBuffer b =
        ByteBuffer.allocate(
            (member ? MEMBER_FIXED + origin.length : FIXED) + peer.length + reason.length);
    b.put(member ? MEMBER_DOMAIN : DOMAIN)
        .put((byte) entry.getEventTypeValue())
        .putLong(entry.getTimeUnixSeconds())
        .put(entry.getSubjectSha256().toByteArray());
    if (member) {
      b.put((byte) origin.length).put(origin);
    } else {
      b.put(origin.length == 0 ? new byte[2] : origin);
    }
    b.put((byte) peer.length)
        .put(peer)
        .putInt(entry.getKeyCount())
        .put((byte) reason.length)
        .put(reason);
    return b.array();
  }

  /** The RFC 6962 leaf hash of {@code entry}: {@code SHA-256(0x00 || encode(entry))}. */
  public static byte[] leafHash(LogEntry entry) {
    return MerkleHashes.leafHash(encode(entry));
  }

  /**
   * The entry whose encoding is {@code leaf}, with {@code leaf_index} set to {@code index}.
   *
   * @throws IllegalArgumentException if {@code leaf} is not exactly the encoding of a valid entry
   */
  public static LogEntry decode(byte[] leaf, long index) {
    boolean member =
        leaf.length >= MEMBER_FIXED
            && Arrays.equals(leaf, 0, MEMBER_DOMAIN.length, MEMBER_DOMAIN, 0, MEMBER_DOMAIN.length);
    if (!member
        && (leaf.length < FIXED
            || !Arrays.equals(leaf, 0, DOMAIN.length, DOMAIN, 0, DOMAIN.length))) {
      throw new IllegalArgumentException("not a log-entry encoding");
    }
    int label = member ? MEMBER_DOMAIN.length : DOMAIN.length;
    ByteBuffer b = ByteBuffer.wrap(leaf, label, leaf.length - label);
    LogEntry.Builder e = LogEntry.newBuilder().setLeafIndex(index);
    e.setEventTypeValue(Byte.toUnsignedInt(b.get()));
    e.setTimeUnixSeconds(b.getLong());
    byte[] subject = new byte[32];
    b.get(subject);
    e.setSubjectSha256(ByteString.copyFrom(subject));
    if (member) {
      e.setOrigin(ascii(b, Byte.toUnsignedInt(b.get()), "origin"));
    } else {
      byte[] origin = new byte[2];
      b.get(origin);
      e.setOrigin(
          origin[0] == 0 && origin[1] == 0 ? "" : new String(origin, StandardCharsets.US_ASCII));
    }
    if (!b.hasRemaining()) {
      throw new IllegalArgumentException("the log-entry encoding is truncated");
    }
    e.setPeer(ascii(b, Byte.toUnsignedInt(b.get()), "peer"));
    if (b.remaining() < 5) {
      throw new IllegalArgumentException("the log-entry encoding is truncated");
    }
    e.setKeyCount(b.getInt());
    e.setReason(ascii(b, Byte.toUnsignedInt(b.get()), "reason"));
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("the log-entry encoding has trailing bytes");
    }
    LogEntry entry = e.build();
    if (!Arrays.equals(encode(entry), leaf)) {
      throw new IllegalArgumentException("the log-entry encoding is not canonical");
    }
    return entry;
  }

  /**
   * Checks that {@code entry} has one of the shapes of the spec's event table.
   *
   * @throws IllegalArgumentException naming the first field that breaks it
   */
  public static void checkShape(LogEntry entry) {
    EventType type = entry.getEventType();
    if (type == EventType.EVENT_TYPE_UNSPECIFIED || type == EventType.UNRECOGNIZED) {
      throw new IllegalArgumentException(
          "event_type " + entry.getEventTypeValue() + " is not an event of the log");
    }
    if (entry.getSubjectSha256().size() != 32) {
      throw new IllegalArgumentException(
          "subject_sha256 must be 32 bytes, got " + entry.getSubjectSha256().size());
    }
    String origin = entry.getOrigin();
    boolean memberOrigin = MEMBER_ORIGIN.matcher(origin).matches();
    if (!origin.isEmpty() && !isCountrySyntax(origin) && !memberOrigin) {
      throw new IllegalArgumentException(
          "origin must be two letters A..Z, CC-operator-id or empty");
    }
    if (memberOrigin && !concernsBatch(type)) {
      throw new IllegalArgumentException(type + " records the node's country, not a member origin");
    }
    if (origin.isEmpty() && type != EventType.EVENT_TYPE_BATCH_REFUSED) {
      throw new IllegalArgumentException("origin may be empty only in a refusal");
    }
    String peer = entry.getPeer();
    if (!peer.isEmpty() && !PEER.matcher(peer).matches()) {
      throw new IllegalArgumentException("peer must be CC/operator-id or empty");
    }
    if (peer.isEmpty() == namesPeer(type)) {
      throw new IllegalArgumentException(
          namesPeer(type) ? type + " must name a peer" : type + " must not name a peer");
    }
    String reason = entry.getReason();
    if (type == EventType.EVENT_TYPE_BATCH_IMPORTED) {
      if (!SOURCE.matcher(reason).matches()) {
        throw new IllegalArgumentException("an import must name its source in 1 to 16 characters");
      }
      return;
    }
    if (type == EventType.EVENT_TYPE_STATISTICS_RELEASED) {
      checkRelease(entry);
      return;
    }
    boolean refusal = type == EventType.EVENT_TYPE_BATCH_REFUSED;
    if (!reason.isEmpty() && (reason.length() > MAX_REASON || !REASON.matcher(reason).matches())) {
      throw new IllegalArgumentException("reason must be a rule id such as R8.19");
    }
    if (reason.isEmpty() == refusal) {
      throw new IllegalArgumentException(
          refusal ? "a refusal must give its rule id" : "only a refusal has a reason");
    }
    if (type == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED && entry.getKeyCount() != 0) {
      throw new IllegalArgumentException("the key count of an upload is never logged");
    }
  }

  private static void checkRelease(LogEntry entry) {
    String reason = entry.getReason();
    if (!EPSILON.matcher(reason).matches() || reason.chars().allMatch(c -> c == '0' || c == '.')) {
      throw new IllegalArgumentException(
          "a statistics release must give its positive epsilon as a decimal such as 0.25");
    }
    if (entry.getKeyCount() != 0) {
      throw new IllegalArgumentException("a statistics release concerns no keys");
    }
  }

  /** Whether events of {@code type} name the peer they concern. */
  public static boolean namesPeer(EventType type) {
    return switch (type) {
      case EVENT_TYPE_BATCH_RECEIVED,
          EVENT_TYPE_BATCH_SENT,
          EVENT_TYPE_BATCH_FORWARDED,
          EVENT_TYPE_BATCH_REFUSED ->
          true;
      default -> false;
    };
  }

  /** Whether events of {@code type} concern a batch, whose origin may be a member origin. */
  private static boolean concernsBatch(EventType type) {
    return type != EventType.EVENT_TYPE_UPLOAD_AUTHORIZED
        && type != EventType.EVENT_TYPE_STATISTICS_RELEASED;
  }

  private static boolean isCountrySyntax(String s) {
    return s.length() == 2 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
  }

  private static String ascii(ByteBuffer b, int length, String field) {
    if (b.remaining() < length) {
      throw new IllegalArgumentException("the " + field + " of the log-entry encoding is cut off");
    }
    byte[] out = new byte[length];
    b.get(out);
    for (byte c : out) {
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("the " + field + " is not printable ASCII");
      }
    }
    return new String(out, StandardCharsets.US_ASCII);
  }
}
