package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleHashes;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link LogEntries} and {@link Checkpoints} against {@code
 * spec/testvectors/transparency_log_v1.json}, and that the file is what the generator writes.
 */
class LogVectorsTest {
  private static final JsonNode VECTORS = TestVectorFiles.read(LogVectorGenerator.FILE_NAME);

  @Test
  void everyVectorHoldsForFedtrace() {
    List<String> failures = new ArrayList<>();
    List<byte[]> leaves = new ArrayList<>();
    int count = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        count++;
        String failure =
            switch (group.get("type").asText()) {
              case "LogEntryEncoding" -> entry(t, leaves);
              case "CheckpointSignature" -> checkpoint(group, t, leaves);
              default -> "unknown group type " + group.get("type");
            };
        if (!failure.isEmpty()) {
          failures.add(
              "tcId " + t.get("tcId") + " (" + t.get("comment").asText() + "): " + failure);
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(VECTORS.get("numberOfTests").asInt(), count);
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String name = LogVectorGenerator.FILE_NAME;
    assertTrue(
        Files.readString(TestVectorFiles.file(name)).equals(LogVectorGenerator.generate()),
        name + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }

  static String entry(JsonNode t, List<byte[]> leaves) {
    LogEntry e = entryFromJson(t.get("entry"));
    boolean valid = t.get("result").asText().equals("valid");
    byte[] leaf;
    try {
      leaf = LogEntries.encode(e);
    } catch (IllegalArgumentException ex) {
      return valid ? "the encoder refuses it: " + ex.getMessage() : "";
    }
    if (!valid) {
      return "the encoder accepts it";
    }
    leaves.add(leaf);
    if (!HEX.formatHex(leaf).equals(t.get("leaf").asText())) {
      return "encodes as " + HEX.formatHex(leaf);
    }
    if (!HEX.formatHex(MerkleHashes.leafHash(leaf)).equals(t.get("leafHash").asText())) {
      return "another leaf hash";
    }
    if (!LogEntries.decode(leaf, 7).equals(e.toBuilder().setLeafIndex(7).build())) {
      return "does not decode to the same entry";
    }
    return "";
  }

  private static String checkpoint(JsonNode group, JsonNode t, List<byte[]> leaves) {
    VerifyingKey key = VerifyingKey.ofRaw(HEX.parseHex(group.get("publicKey").asText()));
    String name = group.get("keyName").asText();
    if (!HEX.formatHex(Checkpoints.keyId(name, key)).equals(group.get("keyId").asText())
        || !Checkpoints.verifierKey(name, key).equals(group.get("verifierKey").asText())) {
      return "another key id or verifier key";
    }
    JsonNode f = t.get("checkpoint");
    Checkpoint c =
        Checkpoint.newBuilder()
            .setLogOrigin(f.get("log_origin").asText())
            .setTreeSize(Long.parseLong(f.get("tree_size").asText()))
            .setRootHash(ByteString.copyFrom(HEX.parseHex(f.get("root_hash").asText())))
            .setTimeUnixMillis(Long.parseLong(f.get("time_unix_millis").asText()))
            .setSignature(ByteString.copyFrom(HEX.parseHex(t.get("signature").asText())))
            .build();
    if (!new String(Checkpoints.noteText(c), StandardCharsets.US_ASCII)
        .equals(t.get("noteText").asText())) {
      return "another note text";
    }
    boolean verifies;
    try {
      Checkpoints.verify(c, key);
      verifies = true;
    } catch (SignatureException e) {
      verifies = false;
    }
    int n = (int) c.getTreeSize();
    boolean rootMatches =
        n <= leaves.size()
            && Arrays.equals(MerkleVectorGenerator.root(leaves, n), c.getRootHash().toByteArray());
    boolean valid = t.get("result").asText().equals("valid");
    if ((verifies && rootMatches) != valid) {
      return "signature verifies " + verifies + ", root matches " + rootMatches;
    }
    if (valid && !Checkpoints.signedNote(c, key).equals(t.get("signedNote").asText())) {
      return "another signed note";
    }
    return "";
  }

  static LogEntry entryFromJson(JsonNode n) {
    LogEntry.Builder b = LogEntry.newBuilder();
    JsonNode type = n.get("event_type");
    if (type.isNumber()) {
      b.setEventTypeValue(type.asInt());
    } else {
      b.setEventType(EventType.valueOf(type.asText()));
    }
    return b.setTimeUnixSeconds(Long.parseLong(n.get("time_unix_seconds").asText()))
        .setSubjectSha256(ByteString.copyFrom(HEX.parseHex(n.get("subject_sha256").asText())))
        .setOrigin(n.get("origin").asText())
        .setPeer(n.get("peer").asText())
        .setKeyCount((int) n.get("key_count").asLong())
        .setReason(n.get("reason").asText())
        .build();
  }
}
