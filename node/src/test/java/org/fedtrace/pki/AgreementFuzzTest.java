package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.fedtrace.fuzz.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the agreement's terms parser (the JSON every node loads at start and compares by hash).
 * Whatever the bytes, the parser either refuses them with an {@link AgreementException} or returns
 * terms that write back to JSON which parses to the same JSON; any other exception is a finding.
 */
public class AgreementFuzzTest {
  private static final TestPki PKI = TestPki.create(Instant.parse("2026-12-01T12:00:00Z"), 14);

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] json) {
    run(json);
  }

  static boolean run(byte[] json) {
    AgreementTerms terms;
    try {
      terms = AgreementTerms.fromJson(json);
    } catch (AgreementException e) {
      return false;
    }
    byte[] written = terms.toJson();
    try {
      assertArrayEquals(written, AgreementTerms.fromJson(written).toJson());
    } catch (AgreementException e) {
      throw new AssertionError("terms the parser accepted write JSON it refuses", e);
    }
    return true;
  }

  @Test
  void theTermsOfAFederationParseAndMalformedOnesAreRefused() {
    PKI.member("DE", "op-de");
    PKI.member("FR", "op-fr");
    byte[] json = PKI.terms().toJson();
    Seeds.offer(AgreementFuzzTest.class, "parse", "two-members", json);
    assertEquals(true, run(json));
    assertEquals(false, run("{".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        false,
        run(
            new String(json, StandardCharsets.UTF_8)
                .replace("\"retention_days\"", "\"retention\"")
                .getBytes(StandardCharsets.UTF_8)));
    assertThrows(AgreementException.class, () -> AgreementTerms.fromJson(new byte[0]));
  }
}
