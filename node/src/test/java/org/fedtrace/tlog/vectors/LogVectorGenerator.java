package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.batch.vectors.VectorFile;
import org.fedtrace.crypto.SecretBytes;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleHashes;

/**
 * Generates {@code spec/testvectors/transparency_log_v1.json}: the log-entry encoding (the leaves
 * of a fedtrace log) and checkpoints signed as C2SP signed notes (spec/transparency.md section 5).
 * Every byte comes from a fixed source and Ed25519 is deterministic, so a run always writes the
 * same file.
 */
public final class LogVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "transparency_log_v1.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "2";

  /** The origin of the log the checkpoints are of. */
  static final String LOG_ORIGIN = "fedtrace.v1/DE/op-de";

  /** 2026-01-01T00:00:00Z. */
  private static final long T0 = 1_767_225_600L;

  private LogVectorGenerator() {}

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
    v.note("EventType", "One entry of each event type of the spec's table.")
        .note(
            "NoOrigin",
            "A refused batch whose origin was malformed: origin is empty, encoded as 00 00.")
        .note("LongestPeer", "A peer with a 32-character operator id: 35 bytes, the maximum.")
        .note("LargeNumbers", "key_count 2^32 - 1 and a time in 2100: unsigned and 64-bit fields.")
        .note("BadEventType", "event_type UNSPECIFIED or a number v1 does not define.")
        .note("BadSubject", "subject_sha256 is not 32 bytes.")
        .note("BadOrigin", "origin is not two letters A..Z, or empty outside a refusal.")
        .note("BadPeer", "peer is not CC/operator-id, or is missing or present against the table.")
        .note(
            "BadReason",
            "reason is not a rule id (R, digits, dot, digits, no leading zeros, at most 16"
                + " characters), or is missing in a refusal, or present outside one.")
        .note("UploadKeyCount", "An UPLOAD_AUTHORIZED entry with a key count other than 0.")
        .note("EmptyLog", "The checkpoint of the empty log.")
        .note(
            "ChangedField",
            "A signed checkpoint with tree_size, root_hash, time or origin changed.")
        .note("ModifiedSignature", "One bit of the signature is flipped, or it is cut to 63 bytes.")
        .note(
            "NoTimeLine",
            "A signature over the three-line C2SP body without the time_unix_millis line: the"
                + " checkpoint note of fedtrace has four lines, so it does not verify.")
        .note("WrongKey", "A checkpoint signed by another key than the group's.");
    List<LogEntry> log = entries(v);
    checkpoints(v, log);
    return v.format(
        "fedtrace transparency log v1: log-entry encoding and C2SP checkpoints",
        GENERATOR_VERSION,
        List.of(
            "LogEntryEncoding: entry is a LogEntry in the proto3 JSON mapping (event_type by"
                + " name, or by number when v1 has no name for it; 64-bit integers as decimal"
                + " strings); leaf is its log-entry encoding (spec/transparency.md section 5.1)"
                + " and leafHash the RFC 6962 leaf hash SHA-256(0x00 || leaf). An invalid entry"
                + " must be refused by the encoder; leaf and leafHash are then empty. The valid"
                + " entries, in file order, are the leaves 0, 1, 2, ... of the log that the"
                + " checkpoints describe.",
            "CheckpointSignature: checkpoint holds the signed fields; noteText is the C2SP"
                + " checkpoint note text rebuilt from them (section 5.3) and signature the"
                + " 64-byte Ed25519 signature to check over it under the group's publicKey."
                + " signedNote is the complete C2SP signed note and verifierKey the key in the"
                + " signed-note text form, for C2SP tools. result valid: the signature verifies"
                + " and root_hash is the RFC 6962 root of the first tree_size valid entries.",
            "Generated by org.fedtrace.tlog.vectors.LogVectorGenerator; do not edit."));
  }

  static LogEntry entry(
      EventType type,
      int seconds,
      String subjectLabel,
      String origin,
      String peer,
      long keys,
      String reason) {
    return LogEntry.newBuilder()
        .setEventType(type)
        .setTimeUnixSeconds(T0 + seconds)
        .setSubjectSha256(ByteString.copyFrom(Vectors.drbg("subject " + subjectLabel, 32)))
        .setOrigin(origin)
        .setPeer(peer)
        .setKeyCount((int) keys)
        .setReason(reason)
        .build();
  }

  /** A valid entry of the vectors: what it shows, the entry, and its flag. */
  private record Case(String comment, LogEntry entry, String flag) {}

  private static List<LogEntry> entries(VectorFile v) {
    ObjectNode g = v.group("LogEntryEncoding");
    List<LogEntry> log = new ArrayList<>();
    LogEntry created = entry(EventType.EVENT_TYPE_BATCH_CREATED, 0, "b1", "DE", "", 100, "");
    List<Case> valid =
        List.of(
            new Case("a batch created", created, "EventType"),
            new Case(
                "an upload authorized",
                entry(EventType.EVENT_TYPE_UPLOAD_AUTHORIZED, 5, "a1", "DE", "", 0, ""),
                "EventType"),
            new Case(
                "a batch sent",
                entry(EventType.EVENT_TYPE_BATCH_SENT, 60, "b1", "DE", "FR/op-fr", 100, ""),
                "EventType"),
            new Case(
                "a batch received",
                entry(EventType.EVENT_TYPE_BATCH_RECEIVED, 61, "b2", "FR", "FR/op-fr", 250, ""),
                "EventType"),
            new Case(
                "a batch forwarded",
                entry(EventType.EVENT_TYPE_BATCH_FORWARDED, 62, "b2", "FR", "IT/op-it", 250, ""),
                "EventType"),
            new Case(
                "a batch refused",
                entry(EventType.EVENT_TYPE_BATCH_REFUSED, 63, "b3", "IT", "IT/op-it", 7, "R8.20"),
                "EventType"),
            new Case(
                "a batch with a malformed origin refused",
                entry(EventType.EVENT_TYPE_BATCH_REFUSED, 64, "b4", "", "IT/op-it", 3, "R8.5"),
                "NoOrigin"),
            new Case(
                "a batch purged",
                entry(EventType.EVENT_TYPE_BATCH_PURGED, 86_400, "b2", "FR", "", 17, ""),
                "EventType"),
            new Case(
                "a batch erased at the sunset",
                entry(EventType.EVENT_TYPE_SUNSET_ERASURE, 90_000, "b2", "FR", "", 233, ""),
                "EventType"),
            new Case(
                "a batch made from an imported key export, naming its source",
                entry(
                    EventType.EVENT_TYPE_BATCH_IMPORTED, 90_000, "b6", "DE", "", 140, "us-ks_1.0"),
                "EventType"),
            new Case(
                "the longest peer",
                entry(
                    EventType.EVENT_TYPE_BATCH_SENT,
                    90_001,
                    "b1",
                    "DE",
                    "AT/" + "a".repeat(31) + "9",
                    100,
                    ""),
                "LongestPeer"),
            new Case(
                "the largest key count, a late time",
                entry(
                        EventType.EVENT_TYPE_BATCH_RECEIVED,
                        0,
                        "b5",
                        "PL",
                        "PL/op-pl",
                        0xffffffffL,
                        "")
                    .toBuilder()
                    .setTimeUnixSeconds(4_102_444_800L)
                    .build(),
                "LargeNumbers"));
    for (Case c : valid) {
      LogEntry e = c.entry();
      ObjectNode t = v.test(g, c.comment(), c.flag());
      t.set("entry", json(e));
      byte[] leaf = LogEntries.encode(e);
      t.put("leaf", HEX.formatHex(leaf))
          .put("leafHash", HEX.formatHex(MerkleHashes.leafHash(leaf)));
      t.put("result", "valid");
      log.add(e);
    }
    invalid(v, g, "event type unspecified", "BadEventType", created, b -> b.setEventTypeValue(0));
    invalid(v, g, "event type 10", "BadEventType", created, b -> b.setEventTypeValue(10));
    invalid(
        v,
        g,
        "an import that names no source",
        "BadReason",
        created,
        b -> b.setEventType(EventType.EVENT_TYPE_BATCH_IMPORTED));
    invalid(
        v,
        g,
        "subject of 31 bytes",
        "BadSubject",
        created,
        b -> b.setSubjectSha256(b.getSubjectSha256().substring(1)));
    invalid(v, g, "origin in lower case", "BadOrigin", created, b -> b.setOrigin("de"));
    invalid(v, g, "origin of three letters", "BadOrigin", created, b -> b.setOrigin("DEU"));
    LogEntry sent = valid.get(2).entry();
    invalid(v, g, "no origin outside a refusal", "BadOrigin", sent, b -> b.setOrigin(""));
    invalid(v, g, "peer without a slash", "BadPeer", sent, b -> b.setPeer("FR-op-fr"));
    invalid(v, g, "peer country in lower case", "BadPeer", sent, b -> b.setPeer("fr/op-fr"));
    invalid(
        v, g, "peer id of 33 characters", "BadPeer", sent, b -> b.setPeer("FR/" + "a".repeat(33)));
    invalid(v, g, "a sent batch without a peer", "BadPeer", sent, b -> b.setPeer(""));
    invalid(v, g, "a created batch with a peer", "BadPeer", created, b -> b.setPeer("FR/op-fr"));
    LogEntry refused = valid.get(5).entry();
    invalid(v, g, "a refusal without a reason", "BadReason", refused, b -> b.setReason(""));
    invalid(v, g, "a reason on a sent batch", "BadReason", sent, b -> b.setReason("R8.20"));
    invalid(v, g, "reason without R", "BadReason", refused, b -> b.setReason("8.20"));
    invalid(v, g, "reason with a leading zero", "BadReason", refused, b -> b.setReason("R08.20"));
    invalid(
        v,
        g,
        "reason of 17 characters",
        "BadReason",
        refused,
        b -> b.setReason("R1234567.12345678"));
    invalid(
        v,
        g,
        "an upload with its key count",
        "UploadKeyCount",
        valid.get(1).entry(),
        b -> b.setKeyCount(5));
    return log;
  }

  private static void invalid(
      VectorFile v,
      ObjectNode g,
      String comment,
      String flag,
      LogEntry base,
      UnaryOperator<LogEntry.Builder> edit) {
    LogEntry e = edit.apply(base.toBuilder()).build();
    try {
      LogEntries.encode(e);
      throw new IllegalStateException("the encoder accepts the invalid entry: " + comment);
    } catch (IllegalArgumentException expected) {
      ObjectNode t = v.test(g, comment, flag);
      t.set("entry", json(e));
      t.put("leaf", "").put("leafHash", "").put("result", "invalid");
    }
  }

  static ObjectNode json(LogEntry e) {
    ObjectNode n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    if (e.getEventType() == EventType.UNRECOGNIZED) {
      n.put("event_type", e.getEventTypeValue());
    } else {
      n.put("event_type", e.getEventType().name());
    }
    n.put("time_unix_seconds", Long.toString(e.getTimeUnixSeconds()));
    n.put("subject_sha256", HEX.formatHex(e.getSubjectSha256().toByteArray()));
    n.put("origin", e.getOrigin());
    n.put("peer", e.getPeer());
    n.put("key_count", Integer.toUnsignedLong(e.getKeyCount()));
    n.put("reason", e.getReason());
    return n;
  }

  private static void checkpoints(VectorFile v, List<LogEntry> log) {
    SigningKey key = SigningKey.fromSeed(SecretBytes.copyOf(Vectors.drbg("checkpoint key", 32)));
    byte[] cert = Vectors.drbg("certificate placeholder", 8);
    ObjectNode g = v.group("CheckpointSignature");
    g.put("keyName", LOG_ORIGIN);
    g.put("publicKey", HEX.formatHex(key.verifyingKey().raw()));
    g.put("keyId", HEX.formatHex(Checkpoints.keyId(LOG_ORIGIN, key.verifyingKey())));
    g.put("verifierKey", Checkpoints.verifierKey(LOG_ORIGIN, key.verifyingKey()));
    long millis = T0 * 1000 + 123;
    for (int n : new int[] {0, 1, 5, log.size()}) {
      Checkpoint c = Checkpoints.sign(LOG_ORIGIN, n, root(log, n), millis + n * 1000L, key, cert);
      checkpointTest(
          v.test(
              g,
              "checkpoint of " + n + " entries",
              n == 0 ? new String[] {"EmptyLog"} : new String[0]),
          c,
          key,
          true);
    }
    Checkpoint good = Checkpoints.sign(LOG_ORIGIN, 5, root(log, 5), millis, key, cert);
    checkpointTest(
        v.test(g, "tree size changed", "ChangedField"),
        good.toBuilder().setTreeSize(6).build(),
        key,
        false);
    byte[] root = good.getRootHash().toByteArray();
    root[31] ^= 1;
    checkpointTest(
        v.test(g, "root changed", "ChangedField"),
        good.toBuilder().setRootHash(ByteString.copyFrom(root)).build(),
        key,
        false);
    checkpointTest(
        v.test(g, "time changed", "ChangedField"),
        good.toBuilder().setTimeUnixMillis(millis + 1).build(),
        key,
        false);
    checkpointTest(
        v.test(g, "origin changed", "ChangedField"),
        good.toBuilder().setLogOrigin("fedtrace.v1/DE/op-xx").build(),
        key,
        false);
    byte[] sig = good.getSignature().toByteArray();
    sig[40] ^= 0x02;
    checkpointTest(
        v.test(g, "signature bit flipped", "ModifiedSignature"),
        good.toBuilder().setSignature(ByteString.copyFrom(sig)).build(),
        key,
        false);
    checkpointTest(
        v.test(g, "signature of 63 bytes", "ModifiedSignature"),
        good.toBuilder().setSignature(good.getSignature().substring(0, 63)).build(),
        key,
        false);
    String body =
        LOG_ORIGIN
            + "\n5\n"
            + java.util.Base64.getEncoder().encodeToString(good.getRootHash().toByteArray())
            + "\n";
    checkpointTest(
        v.test(g, "signature over the note without its time line", "NoTimeLine"),
        good.toBuilder()
            .setSignature(ByteString.copyFrom(key.sign(body.getBytes(StandardCharsets.US_ASCII))))
            .build(),
        key,
        false);
    SigningKey other = SigningKey.fromSeed(SecretBytes.copyOf(Vectors.drbg("other key", 32)));
    checkpointTest(
        v.test(g, "signed by another key", "WrongKey"),
        Checkpoints.sign(LOG_ORIGIN, 5, root(log, 5), millis, other, cert),
        key,
        false);
  }

  private static void checkpointTest(ObjectNode t, Checkpoint c, SigningKey key, boolean valid) {
    ObjectNode fields = t.putObject("checkpoint");
    fields.put("log_origin", c.getLogOrigin());
    fields.put("tree_size", Long.toString(c.getTreeSize()));
    fields.put("root_hash", HEX.formatHex(c.getRootHash().toByteArray()));
    fields.put("time_unix_millis", Long.toString(c.getTimeUnixMillis()));
    t.put("noteText", new String(Checkpoints.noteText(c), StandardCharsets.US_ASCII));
    t.put("signature", HEX.formatHex(c.getSignature().toByteArray()));
    t.put("signedNote", valid ? Checkpoints.signedNote(c, key.verifyingKey()) : "");
    t.put("result", valid ? "valid" : "invalid");
    boolean verifies;
    try {
      Checkpoints.verify(c, key.verifyingKey());
      verifies = true;
    } catch (java.security.SignatureException e) {
      verifies = false;
    }
    if (verifies != valid) {
      throw new IllegalStateException("checkpoint vector verifies " + verifies + ": " + t);
    }
  }

  /** The RFC 6962 root of the first {@code n} entries. */
  static byte[] root(List<LogEntry> log, int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (LogEntry e : log.subList(0, n)) {
      leaves.add(LogEntries.encode(e));
    }
    byte[] r = MerkleVectorGenerator.root(leaves, n);
    if (!Arrays.equals(
        r, org.fedtrace.tlog.MerkleVerifier.rootOf(MerkleVectorGenerator.hashes(leaves)))) {
      throw new IllegalStateException("two ways to the root disagree");
    }
    return r;
  }
}
