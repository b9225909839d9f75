package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.conformance.wire.Checkpoints;
import org.fedtrace.conformance.wire.LogEncoding;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.junit.jupiter.api.Test;

/**
 * The suite's own RFC 6962 tree, log-entry encoding and checkpoint notes agree with every vector of
 * spec/testvectors/merkle_tree_rfc6962.json and transparency_log_v1.json, so a verdict on a node's
 * log never rests on code shared with the node. Each test collects every failing tcId.
 */
class SuiteLogVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  private static List<byte[]> leaves(JsonObject group) {
    List<byte[]> out = new ArrayList<>();
    for (JsonElement l : group.getAsJsonArray("leaves")) {
      out.add(HEX.parseHex(l.getAsString()));
    }
    return out;
  }

  private static List<byte[]> hashes(JsonObject t, String field) {
    List<byte[]> out = new ArrayList<>();
    for (JsonElement h : t.getAsJsonArray(field)) {
      out.add(HEX.parseHex(h.getAsString()));
    }
    return out;
  }

  private static boolean valid(JsonObject t) {
    return t.get("result").getAsString().equals("valid");
  }

  @Test
  void treeHashesMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t : VectorJson.tests(VectorJson.file("merkle_tree_rfc6962.json"), "TreeHash")) {
      List<byte[]> leaves = leaves(t.getAsJsonObject("group"));
      byte[] root = Merkle.root(Merkle.leafHashes(leaves.subList(0, t.get("treeSize").getAsInt())));
      if (Arrays.equals(root, VectorJson.hex(t, "root")) != valid(t)) {
        failures.add("tcId " + t.get("tcId") + ": root " + HEX.formatHex(root));
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void inclusionProofsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("merkle_tree_rfc6962.json"), "InclusionProof")) {
      String id = "tcId " + t.get("tcId");
      long index = t.get("leafIndex").getAsLong();
      List<byte[]> leaves = leaves(t.getAsJsonObject("group"));
      byte[] leafHash = VectorJson.hex(t, "leafHash");
      if (valid(t) && !Arrays.equals(Merkle.leafHash(leaves.get((int) index)), leafHash)) {
        failures.add(id + ": leaf hash differs");
      }
      boolean verified;
      try {
        Merkle.verifyInclusion(
            leafHash,
            index,
            t.get("treeSize").getAsLong(),
            hashes(t, "path"),
            VectorJson.hex(t, "root"));
        verified = true;
      } catch (Merkle.InvalidProof e) {
        verified = false;
      }
      if (verified != valid(t)) {
        failures.add(id + ": verification is not " + valid(t));
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void consistencyProofsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("merkle_tree_rfc6962.json"), "ConsistencyProof")) {
      boolean verified;
      try {
        Merkle.verifyConsistency(
            t.get("firstSize").getAsLong(),
            t.get("secondSize").getAsLong(),
            VectorJson.hex(t, "firstRoot"),
            VectorJson.hex(t, "secondRoot"),
            hashes(t, "proof"));
        verified = true;
      } catch (Merkle.InvalidProof e) {
        verified = false;
      }
      if (verified != valid(t)) {
        failures.add("tcId " + t.get("tcId") + ": verification is not " + valid(t));
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void logEntryEncodingsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    List<JsonObject> tests = new ArrayList<>();
    // the member-origin layout (transparency.md §5.1.1) has a file of its own
    for (String file : List.of("transparency_log_v1.json", "member_log_entry_v1.json")) {
      for (JsonObject t : VectorJson.tests(VectorJson.file(file), "LogEntryEncoding")) {
        t.addProperty("file", file);
        tests.add(t);
      }
    }
    for (JsonObject t : tests) {
      String id = t.get("file").getAsString() + " tcId " + t.get("tcId");
      LogEntry e = entry(t.getAsJsonObject("entry"));
      try {
        byte[] leaf = LogEncoding.encode(e);
        if (!valid(t)) {
          failures.add(id + ": encoded an entry the encoder must refuse");
        } else if (!Arrays.equals(leaf, VectorJson.hex(t, "leaf"))) {
          failures.add(id + ": got " + HEX.formatHex(leaf));
        } else if (!Arrays.equals(LogEncoding.leafHash(e), VectorJson.hex(t, "leafHash"))) {
          failures.add(id + ": leaf hash differs");
        }
      } catch (IllegalArgumentException ex) {
        if (valid(t)) {
          failures.add(id + ": refused a valid entry: " + ex.getMessage());
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void checkpointSignaturesMatchVectors() throws Exception {
    JsonObject file = VectorJson.file("transparency_log_v1.json");
    List<byte[]> leafHashes = new ArrayList<>();
    for (JsonObject t : VectorJson.tests(file, "LogEntryEncoding")) {
      if (valid(t)) {
        leafHashes.add(VectorJson.hex(t, "leafHash"));
      }
    }
    List<String> failures = new ArrayList<>();
    for (JsonObject t : VectorJson.tests(file, "CheckpointSignature")) {
      String id = "tcId " + t.get("tcId");
      JsonObject group = t.getAsJsonObject("group");
      byte[] key = VectorJson.hex(group, "publicKey");
      Checkpoint c =
          checkpoint(t.getAsJsonObject("checkpoint"))
              .setSignature(ByteString.copyFrom(VectorJson.hex(t, "signature")))
              .build();
      if (!Checkpoints.noteText(c).equals(t.get("noteText").getAsString())) {
        failures.add(id + ": note text " + Checkpoints.noteText(c));
      }
      int size = (int) c.getTreeSize();
      boolean rootOk =
          size <= leafHashes.size()
              && Arrays.equals(
                  Merkle.root(leafHashes.subList(0, size)), c.getRootHash().toByteArray());
      if ((Checkpoints.verifies(c, key) && rootOk) != valid(t)) {
        failures.add(id + ": verification is not " + valid(t));
      }
      if (valid(t)) {
        String origin = group.get("keyName").getAsString();
        if (!Checkpoints.signedNote(c, key).equals(t.get("signedNote").getAsString())) {
          failures.add(id + ": signed note " + Checkpoints.signedNote(c, key));
        }
        if (!HEX.formatHex(Checkpoints.keyId(origin, key))
            .equals(group.get("keyId").getAsString())) {
          failures.add(id + ": key id differs");
        }
        if (!Checkpoints.verifierKey(origin, key).equals(group.get("verifierKey").getAsString())) {
          failures.add(id + ": verifier key " + Checkpoints.verifierKey(origin, key));
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /** A LogEntry from the proto3 JSON mapping the vectors use. */
  private static LogEntry entry(JsonObject j) {
    LogEntry.Builder b =
        LogEntry.newBuilder()
            .setTimeUnixSeconds(Long.parseLong(j.get("time_unix_seconds").getAsString()))
            .setSubjectSha256(ByteString.copyFrom(VectorJson.hex(j, "subject_sha256")))
            .setOrigin(j.get("origin").getAsString())
            .setPeer(j.get("peer").getAsString())
            .setKeyCount((int) j.get("key_count").getAsLong())
            .setReason(j.get("reason").getAsString());
    JsonElement type = j.get("event_type");
    if (type.getAsJsonPrimitive().isNumber()) {
      b.setEventTypeValue(type.getAsInt());
    } else {
      b.setEventType(EventType.valueOf(type.getAsString()));
    }
    return b.build();
  }

  private static Checkpoint.Builder checkpoint(JsonObject j) {
    return Checkpoint.newBuilder()
        .setLogOrigin(j.get("log_origin").getAsString())
        .setTreeSize(Long.parseUnsignedLong(j.get("tree_size").getAsString()))
        .setRootHash(ByteString.copyFrom(VectorJson.hex(j, "root_hash")))
        .setTimeUnixMillis(Long.parseLong(j.get("time_unix_millis").getAsString()));
  }
}
