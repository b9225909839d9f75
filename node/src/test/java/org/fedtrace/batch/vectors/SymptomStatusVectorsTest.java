package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Symptoms} and the key record against {@code
 * spec/testvectors/symptom_status_efgs_v1.json}, and that the file is what {@link
 * SymptomStatusVectorGenerator} writes.
 */
class SymptomStatusVectorsTest {
  private static final JsonNode VECTORS =
      TestVectorFiles.read(SymptomStatusVectorGenerator.FILE_NAME);

  @Test
  void everyVectorMapsBothWays() {
    List<String> failures = new ArrayList<>();
    int count = 0;
    int valid = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        count++;
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + "): ";
        String failure = group.get("type").asText().equals("EfgsCodeMapping") ? code(t) : record(t);
        if (!failure.isEmpty()) {
          failures.add(id + failure);
        }
        valid += t.get("result").asText().equals("valid") ? 1 : 0;
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(VECTORS.get("numberOfTests").asInt(), count);
    assertEquals(23 * 29 + 4, valid, "every published code and the four key records");
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String name = SymptomStatusVectorGenerator.FILE_NAME;
    assertTrue(
        Files.readString(TestVectorFiles.file(name))
            .equals(SymptomStatusVectorGenerator.generate()),
        name + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }

  private static String code(JsonNode t) {
    int code = t.get("efgsCode").asInt();
    if (t.get("result").asText().equals("invalid")) {
      try {
        Symptoms.fromEfgsCode(code);
        return "converted a code outside the published ranges";
      } catch (IllegalArgumentException e) {
        return e.getMessage().startsWith("R26.5: ") ? "" : "refused without R26.5: " + e;
      }
    }
    DiagnosisKey fromJson =
        SymptomStatusVectorGenerator.fieldsFromJson(t.get("fields"), DiagnosisKey.newBuilder())
            .build();
    Symptoms read = Symptoms.of(fromJson);
    if (read.efgsCode() != code) {
      return "the fields map to code " + read.efgsCode();
    }
    DiagnosisKey written = Symptoms.fromEfgsCode(code).applyTo(DiagnosisKey.newBuilder()).build();
    if (!written.equals(fromJson)) {
      return "the code maps to other fields: " + written;
    }
    byte[] bytes = new byte[2];
    CanonicalEncoding.putSymptoms(bytes, 0, read);
    String hex = HEX.formatHex(bytes);
    return hex.equals(t.get("symptomBytes").asText()) ? "" : "symptom bytes " + hex;
  }

  private static String record(JsonNode t) {
    DiagnosisKey k =
        SymptomStatusVectorGenerator.fieldsFromJson(
                t.get("key"), BatchJson.keyFromJson(t.get("key")).toBuilder())
            .build();
    String hex = HEX.formatHex(CanonicalEncoding.keyRecord(k));
    return hex.equals(t.get("record").asText()) ? "" : "record " + hex;
  }
}
