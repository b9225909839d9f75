package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.batch.vectors.VectorFile;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleHashes;

/**
 * Generates {@code spec/testvectors/member_log_entry_v1.json}: the log-entry encoding of entries
 * whose origin is a member origin {@code CC-operator-id} (spec/transparency.md §5.1.1, R26.16). The
 * entries of a two-letter origin are in {@code transparency_log_v1.json}, unchanged.
 */
public final class MemberLogVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "member_log_entry_v1.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "1";

  private MemberLogVectorGenerator() {}

  /** Writes the file into {@code args[0]}, or into the repository's {@code spec/testvectors/}. */
  public static void main(String[] args) throws IOException {
    Path dir =
        args.length > 0
            ? Path.of(args[0])
            : TestVectorFiles.repositoryRoot().resolve(TestVectorFiles.DIRECTORY);
    Path out = dir.resolve(FILE_NAME);
    Files.writeString(out, generate(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The file's text. */
  public static String generate() {
    VectorFile v = new VectorFile();
    v.note("EventType", "An entry of each event type about a batch, of a member origin.")
        .note("LongestOrigin", "A member origin with a 32-character operator id: 35 bytes.")
        .note(
            "CountryOrigin",
            "An entry of a two-letter origin keeps the layout of section 5.1, byte for byte.")
        .note(
            "BadOrigin",
            "origin is neither two letters nor CC-operator-id, or a member origin in an entry"
                + " that records the node's country (UPLOAD_AUTHORIZED, STATISTICS_RELEASED).")
        .note(
            "NotCanonical",
            "Leaf bytes under the member label whose origin has two letters, or under the"
                + " country label with a length byte: no entry encodes so, and a decoder refuses"
                + " them.");
    ObjectNode g = v.group("LogEntryEncoding");
    LogEntry created =
        LogVectorGenerator.entry(EventType.EVENT_TYPE_BATCH_CREATED, 0, "m1", "US-ny", "", 64, "");
    LogEntry refused =
        LogVectorGenerator.entry(
            EventType.EVENT_TYPE_BATCH_REFUSED, 63, "m3", "US-ca", "DE/op-de", 7, "R26.10");
    List<Object[]> valid =
        List.of(
            new Object[] {"a batch created by US-ny", created, "EventType"},
            new Object[] {
              "a batch sent by US-ny",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_SENT, 60, "m1", "US-ny", "DE/op-de", 64, ""),
              "EventType"
            },
            new Object[] {
              "a batch of US-ca received from US-ca",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_RECEIVED, 61, "m2", "US-ca", "US/ca", 100, ""),
              "EventType"
            },
            new Object[] {
              "a batch of US-ca forwarded by US-ny",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_FORWARDED, 62, "m2", "US-ca", "DE/op-de", 100, ""),
              "EventType"
            },
            new Object[] {"a batch claiming US-ca refused", refused, "EventType"},
            new Object[] {
              "a batch of US-ca purged",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_PURGED, 86_400, "m2", "US-ca", "", 40, ""),
              "EventType"
            },
            new Object[] {
              "a batch of US-ca erased at the sunset",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_SUNSET_ERASURE, 90_000, "m2", "US-ca", "", 60, ""),
              "EventType"
            },
            new Object[] {
              "a batch of US-ny made from an imported key export",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_IMPORTED, 90_000, "m4", "US-ny", "", 140, "us-ks"),
              "EventType"
            },
            new Object[] {
              "the longest member origin",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_RECEIVED,
                  90_001,
                  "m5",
                  "AT-" + "a".repeat(31) + "9",
                  "AT/" + "a".repeat(31) + "9",
                  10,
                  ""),
              "LongestOrigin"
            },
            new Object[] {
              "a two-letter origin: the layout of section 5.1",
              LogVectorGenerator.entry(
                  EventType.EVENT_TYPE_BATCH_SENT, 60, "b1", "DE", "FR/op-fr", 100, ""),
              "CountryOrigin"
            });
    for (Object[] c : valid) {
      LogEntry e = (LogEntry) c[1];
      ObjectNode t = v.test(g, (String) c[0], (String) c[2]);
      t.set("entry", LogVectorGenerator.json(e));
      byte[] leaf = LogEntries.encode(e);
      t.put("leaf", HEX.formatHex(leaf))
          .put("leafHash", HEX.formatHex(MerkleHashes.leafHash(leaf)))
          .put("result", "valid");
    }
    invalid(v, g, "an operator id in upper case", created, b -> b.setOrigin("US-NY"));
    invalid(v, g, "no operator id after the hyphen", created, b -> b.setOrigin("US-"));
    invalid(v, g, "an underscore for the hyphen", created, b -> b.setOrigin("US_ny"));
    invalid(
        v, g, "an operator id of 33 characters", created, b -> b.setOrigin("US-" + "a".repeat(33)));
    invalid(
        v,
        g,
        "an upload authorized with a member origin",
        created,
        b -> b.setEventType(EventType.EVENT_TYPE_UPLOAD_AUTHORIZED).setKeyCount(0));
    notCanonical(v, created);
    return v.format(
        "fedtrace transparency log v1: log-entry encoding of member origins",
        GENERATOR_VERSION,
        List.of(
            "LogEntryEncoding: as in transparency_log_v1.json (entry in the proto3 JSON mapping,"
                + " leaf its log-entry encoding, leafHash SHA-256(0x00 || leaf)); an entry with a"
                + " member origin has the layout of spec/transparency.md section 5.1.1. An invalid"
                + " entry must be refused by the encoder; leaf and leafHash are then empty.",
            "LeafDecoding: leaf bytes that are not the encoding of any entry; a decoder must"
                + " refuse them.",
            "Generated by org.fedtrace.tlog.vectors.MemberLogVectorGenerator; do not edit."));
  }

  private static void invalid(
      VectorFile v,
      ObjectNode g,
      String comment,
      LogEntry base,
      UnaryOperator<LogEntry.Builder> edit) {
    LogEntry e = edit.apply(base.toBuilder()).build();
    try {
      LogEntries.encode(e);
      throw new IllegalStateException("the encoder accepts the invalid entry: " + comment);
    } catch (IllegalArgumentException expected) {
      ObjectNode t = v.test(g, comment, "BadOrigin");
      t.set("entry", LogVectorGenerator.json(e));
      t.put("leaf", "").put("leafHash", "").put("result", "invalid");
    }
  }

  /** Leaves a decoder must refuse: the member label around a two-letter origin, and the reverse. */
  private static void notCanonical(VectorFile v, LogEntry member) {
    final ObjectNode g = v.group("LeafDecoding");
    byte[] leaf = LogEntries.encode(member);
    int originAt = LogEntries.MEMBER_DOMAIN.length + 1 + 8 + 32;
    // the member label, length 2 and "US": the entry of origin US encodes under the other label
    byte[] two = new byte[leaf.length - 3];
    System.arraycopy(leaf, 0, two, 0, originAt);
    two[originAt] = 2;
    two[originAt + 1] = 'U';
    two[originAt + 2] = 'S';
    System.arraycopy(leaf, originAt + 6, two, originAt + 3, leaf.length - originAt - 6);
    v.test(g, "the member label around a two-letter origin", "NotCanonical")
        .put("leaf", HEX.formatHex(two))
        .put("result", "invalid");
    // the country label followed by the member layout's length byte and origin
    byte[] out =
        new byte[leaf.length - (LogEntries.MEMBER_DOMAIN.length - LogEntries.DOMAIN.length)];
    System.arraycopy(LogEntries.DOMAIN, 0, out, 0, LogEntries.DOMAIN.length);
    System.arraycopy(
        leaf,
        LogEntries.MEMBER_DOMAIN.length,
        out,
        LogEntries.DOMAIN.length,
        leaf.length - LogEntries.MEMBER_DOMAIN.length);
    v.test(g, "the country label around the member layout", "NotCanonical")
        .put("leaf", HEX.formatHex(out))
        .put("result", "invalid");
  }
}
