package org.fedtrace.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.fuzz.Seeds;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.upload.Authorizations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the request validator of UploadDiagnosisKeys: the bytes go through the marshaller that
 * turns a parse error into R20.10's refusal, then through the upload's checks. The only outcomes
 * are a refusal whose message starts with its rule id or a well-formed request; any other exception
 * is a finding.
 */
public class UploadRequestFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final BatchRules RULES = new BatchRules(14, 10_000);
  private static final WellFormedRequests.Checked<UploadDiagnosisKeysRequest> PARSER =
      new WellFormedRequests.Checked<>(
          UploadGrpc.getUploadDiagnosisKeysMethod().getRequestMarshaller());

  enum Outcome {
    UNDECODABLE,
    REFUSED,
    WELL_FORMED
  }

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void check(byte[] input) {
    run(input);
  }

  static Outcome run(byte[] input) {
    WellFormedRequests.Parsed<UploadDiagnosisKeysRequest> parsed =
        PARSER.parse(new ByteArrayInputStream(input));
    if (parsed.refusal() != null) {
      assertEquals(Rule.UNDECODABLE_REQUEST, parsed.refusal().rule());
      return Outcome.UNDECODABLE;
    }
    try {
      UploadService.checkWellFormed(parsed.message(), RULES, NOW);
    } catch (RuleViolation e) {
      assertTrue(e.getMessage().startsWith(e.rule().id() + ": "), e.getMessage());
      return Outcome.REFUSED;
    }
    return Outcome.WELL_FORMED;
  }

  @Test
  void anAuthorizedUploadIsWellFormedAndBrokenOnesAreRefused() {
    List<DiagnosisKey> keys = new TestBatches(2, NOW).keys(14, 14);
    UploadDiagnosisKeysRequest upload =
        UploadDiagnosisKeysRequest.newBuilder()
            .addAllKeys(keys)
            .setAuthorization(
                Authorizations.issue(
                    SigningKey.generate(new SecureRandom()),
                    "DE",
                    keys,
                    NOW,
                    Duration.ofMinutes(30),
                    new SecureRandom()))
            .build();
    Seeds.offer(UploadRequestFuzzTest.class, "check", "authorized-upload", upload.toByteArray());
    assertEquals(Outcome.WELL_FORMED, run(upload.toByteArray()));
    assertEquals(Outcome.REFUSED, run(upload.toBuilder().clearKeys().build().toByteArray()));
    assertEquals(
        Outcome.REFUSED, run(upload.toBuilder().clearAuthorization().build().toByteArray()));
    assertEquals(Outcome.UNDECODABLE, run(new byte[] {(byte) 0x0a, (byte) 0xff}));
  }
}
