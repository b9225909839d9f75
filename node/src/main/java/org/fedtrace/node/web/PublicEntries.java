package org.fedtrace.node.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.LogEntries;

/**
 * What the public sees of a log entry (spec R16.7, transparency.md §14.3): its index, its RFC 6962
 * leaf hash (so that inclusion proofs verify), its event type and, except for uploads, the UTC day,
 * origin, peer and rule or import source. Never the subject hash, the time to the second or the key
 * count; of an UPLOAD_AUTHORIZED entry nothing but its index, leaf hash and type.
 */
final class PublicEntries {
  private static final String PREFIX = "EVENT_TYPE_";

  private PublicEntries() {}

  /** The public form of {@code entry}. */
  static ObjectNode of(LogEntry entry) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("index", entry.getLeafIndex());
    out.put("leafHash", Base64.getEncoder().encodeToString(LogEntries.leafHash(entry)));
    out.put("event", eventName(entry.getEventType()));
    if (entry.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED) {
      return out; // R16.7: an upload's time would tell when a person was diagnosed
    }
    out.put(
        "date",
        Instant.ofEpochSecond(entry.getTimeUnixSeconds())
            .atOffset(ZoneOffset.UTC)
            .toLocalDate()
            .toString());
    out.put("origin", entry.getOrigin());
    if (!entry.getPeer().isEmpty()) {
      out.put("peer", entry.getPeer());
    }
    if (!entry.getReason().isEmpty()) {
      out.put("reason", entry.getReason());
    }
    return out;
  }

  /** {@code BATCH_SENT} for {@code EVENT_TYPE_BATCH_SENT}. */
  static String eventName(EventType type) {
    return type.name().substring(PREFIX.length());
  }
}
