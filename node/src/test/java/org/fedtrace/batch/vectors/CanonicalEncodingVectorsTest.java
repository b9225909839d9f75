package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link CanonicalEncoding} against {@code spec/testvectors/canonical_encoding_v1.json}, and
 * that the file is exactly what {@link CanonicalEncodingVectorGenerator} writes.
 */
class CanonicalEncodingVectorsTest {
  private static final JsonNode VECTORS =
      TestVectorFiles.read(CanonicalEncodingVectorGenerator.FILE_NAME);

  @Test
  void everyVectorEncodesAsExpected() {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      String type = group.get("type").asText();
      for (JsonNode t : group.get("tests")) {
        count++;
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + "): ";
        String failure =
            switch (type) {
              case "KeyRecordEncoding" ->
                  check(
                      t,
                      "record",
                      v -> CanonicalEncoding.keyRecord(BatchJson.keyFromJson(v.get("key"))),
                      v -> new byte[0]);
              case "KeySetEncoding" ->
                  check(
                      t,
                      "msg",
                      v -> CanonicalEncoding.keySet(keys(v)),
                      v -> CanonicalEncoding.keySetDigest(keys(v)));
              case "BatchEncoding" ->
                  check(
                      t,
                      "msg",
                      v -> CanonicalEncoding.batch(BatchJson.batchFromJson(v.get("batch"))),
                      v -> CanonicalEncoding.batchDigest(BatchJson.batchFromJson(v.get("batch"))));
              default -> "unknown test group type " + type;
            };
        if (!failure.isEmpty()) {
          failures.add(id + failure);
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(VECTORS.get("numberOfTests").asInt(), count);
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String name = CanonicalEncodingVectorGenerator.FILE_NAME;
    assertTrue(
        Files.readString(TestVectorFiles.file(name))
            .equals(CanonicalEncodingVectorGenerator.generate()),
        name + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }

  /**
   * Empty when {@code t} passes: a valid test's encoding equals {@code t[field]} and its digest (if
   * the test has one) equals {@code t.digest}; an invalid test's encoding throws {@link
   * IllegalArgumentException}.
   */
  private static String check(
      JsonNode t,
      String field,
      Function<JsonNode, byte[]> encode,
      Function<JsonNode, byte[]> digest) {
    boolean valid = t.get("result").asText().equals("valid");
    byte[] bytes;
    try {
      bytes = encode.apply(t);
    } catch (IllegalArgumentException e) {
      return valid ? "refused: " + e.getMessage() : "";
    }
    if (!valid) {
      return "encoded an invalid input to " + HEX.formatHex(bytes);
    }
    String encoded = HEX.formatHex(bytes);
    if (!encoded.equals(t.get(field).asText())) {
      return field + " differs: got " + encoded;
    }
    if (t.has("digest") && !HEX.formatHex(digest.apply(t)).equals(t.get("digest").asText())) {
      return "digest differs: got " + HEX.formatHex(digest.apply(t));
    }
    return "";
  }

  private static List<DiagnosisKey> keys(JsonNode t) {
    List<DiagnosisKey> keys = new ArrayList<>();
    t.get("keys").forEach(k -> keys.add(BatchJson.keyFromJson(k)));
    return keys;
  }
}
