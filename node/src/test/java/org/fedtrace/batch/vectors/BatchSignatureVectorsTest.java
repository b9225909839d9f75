package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link CanonicalEncoding} and {@link BatchSigner} against {@code
 * spec/testvectors/batch_signature_v1.json}, and that the file is exactly what {@link
 * BatchVectorGenerator} writes.
 */
class BatchSignatureVectorsTest {
  private static final JsonNode VECTORS = TestVectorFiles.read(BatchVectorGenerator.FILE_NAME);

  @Test
  void everyVectorEncodesToMsgAndVerifiesAsExpected() {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      VerifyingKey signer =
          VerifyingKey.ofRaw(HEX.parseHex(group.get("publicKey").get("pk").asText()));
      for (JsonNode t : group.get("tests")) {
        count++;
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + "): ";
        try {
          check(t, signer).forEach(f -> failures.add(id + f));
        } catch (RuntimeException e) {
          failures.add(id + e);
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(VECTORS.get("numberOfTests").asInt(), count);
  }

  @Test
  void tcIdsAreSequentialAndEveryFlagHasANote() {
    List<String> failures = new ArrayList<>();
    Set<String> used = new HashSet<>();
    int expectedId = 1;
    for (JsonNode group : VECTORS.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        int id = t.get("tcId").asInt();
        if (id != expectedId) {
          failures.add("tcId " + id + " where " + expectedId + " was expected");
        }
        expectedId = id + 1;
        for (JsonNode f : t.get("flags")) {
          used.add(f.asText());
          if (!VECTORS.get("notes").has(f.asText())) {
            failures.add("tcId " + id + ": flag " + f.asText() + " has no note");
          }
        }
      }
    }
    VECTORS
        .get("notes")
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (!used.contains(n)) {
                failures.add("note " + n + " is used by no test");
              }
            });
    assertEquals(List.of(), failures);
  }

  @Test
  void requiredCasesArePresent() {
    Set<String> present = new HashSet<>();
    for (JsonNode group : VECTORS.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        t.get("flags").forEach(f -> present.add(f.asText() + "/" + t.get("result").asText()));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String required :
        List.of(
            "ReorderedKeys/valid",
            "DsosAbsent/valid",
            "DsosZero/valid",
            "DsosNegative/valid",
            "VisitedCountries/valid",
            "RollingPeriodBounds/valid",
            "TamperedKeyData/invalid",
            "TamperedKeyMetadata/invalid",
            "TamperedBatchField/invalid",
            "WrongOrigin/invalid",
            "TruncatedSignature/invalid",
            "SignatureOfOtherBatch/invalid",
            "ZeroSignature/invalid",
            "NonCanonicalS/invalid",
            "WrongSigner/invalid")) {
      if (!present.contains(required)) {
        missing.add(required);
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String checkedIn = Files.readString(TestVectorFiles.file(BatchVectorGenerator.FILE_NAME));
    assertTrue(
        checkedIn.equals(BatchVectorGenerator.generate()),
        BatchVectorGenerator.FILE_NAME
            + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }

  /** The failures of one test: its encoding must equal msg, its verification result. */
  private static List<String> check(JsonNode t, VerifyingKey signer) {
    List<String> failures = new ArrayList<>();
    DiagnosisKeyBatch batch =
        BatchJson.batchFromJson(t.get("batch")).toBuilder()
            .setSignature(BatchJson.bytes(t, "sig"))
            .build();
    String msg = HEX.formatHex(CanonicalEncoding.batch(batch));
    if (!msg.equals(t.get("msg").asText())) {
      failures.add("encoding " + msg + " differs from msg");
    }
    String outcome = verify(batch, signer);
    if (!outcome.equals(t.get("result").asText())) {
      failures.add("expected " + t.get("result").asText() + ", got " + outcome);
    }
    return failures;
  }

  /** "valid" or "invalid"; any other exception than {@link SignatureException} is a failure. */
  private static String verify(DiagnosisKeyBatch batch, VerifyingKey signer) {
    try {
      BatchSigner.verify(batch, signer);
      return "valid";
    } catch (SignatureException e) {
      return "invalid";
    }
  }
}
