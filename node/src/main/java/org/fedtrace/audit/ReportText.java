package org.fedtrace.audit;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedtrace.proto.v1.LogEntry;

/** How an audit report names entries, counts and hashes. */
public final class ReportText {
  private ReportText() {}

  /** An entry in a few words: its event, its batch (short hash) and the peer it names. */
  static String entry(LogEntry e) {
    String type = e.getEventType().name().substring("EVENT_TYPE_".length());
    String batch = " batch " + shortHex(e.getSubjectSha256());
    return switch (e.getEventType()) {
      case EVENT_TYPE_BATCH_SENT, EVENT_TYPE_BATCH_FORWARDED -> type + batch + " to " + e.getPeer();
      case EVENT_TYPE_BATCH_RECEIVED -> type + batch + " from " + e.getPeer();
      case EVENT_TYPE_BATCH_REFUSED ->
          type + batch + " from " + e.getPeer() + " by " + e.getReason();
      case EVENT_TYPE_UPLOAD_AUTHORIZED -> type + " " + shortHex(e.getSubjectSha256());
      case EVENT_TYPE_BATCH_IMPORTED -> type + batch + " from " + e.getReason();
      default -> type + batch;
    };
  }

  /** "1 entry", "2 entries". */
  static String entries(long n) {
    return n == 1 ? "1 entry" : n + " entries";
  }

  /** The first 8 bytes of {@code hash} in hex: how the report names a batch or a root. */
  public static String shortHex(ByteString hash) {
    return HexFormat.of().formatHex(hash.toByteArray(), 0, Math.min(8, hash.size()));
  }
}
