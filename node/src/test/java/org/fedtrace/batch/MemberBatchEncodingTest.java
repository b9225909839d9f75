package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/** The batch encoding of a member origin "CC-operator-id" (spec §26.2, R26.11). */
class MemberBatchEncodingTest {
  private static final HexFormat HEX = HexFormat.of();

  private static DiagnosisKeyBatch batch(String origin) {
    DiagnosisKey k =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(HEX.parseHex("0123456789abcdef0123456789abcdef")))
            .setRollingStartIntervalNumber(2_992_464)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setTransmissionRiskLevel(2)
            .build();
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(1)
        .setBatchId(ByteString.copyFrom(HEX.parseHex("000102030405060708090a0b0c0d0e0f")))
        .setOrigin(origin)
        .setSequence(7)
        .setCreatedUnixSeconds(1_795_654_800L)
        .addKeys(k)
        .build();
  }

  @Test
  void aMemberOriginHasItsOwnLabelAndALengthPrefix() {
    String expected =
        "66656474726163652e76312e6d656d6265722d626174636800" // "fedtrace.v1.member-batch" 00
            + "01" // format_version
            + "000102030405060708090a0b0c0d0e0f" // batch_id
            + "05"
            + "55532d6e79" // origin length 5, "US-ny"
            + "0000000000000007" // sequence
            + "000000006b078490" // created_unix_seconds
            + "00000001" // key count
            + "0123456789abcdef0123456789abcdef002da95090010000020"
            + "0"; // the key record
    assertEquals(expected, HEX.formatHex(CanonicalEncoding.batch(batch("US-ny"))));
  }

  @Test
  void aCountryOriginKeepsTheLayoutOfFormatOne() {
    String head = HEX.formatHex(CanonicalEncoding.batch(batch("DE")), 0, 37);
    assertEquals(
        "66656474726163652e76312e626174636800" + "01" + "000102030405060708090a0b0c0d0e0f" + "4445",
        head);
  }

  @Test
  void malformedOriginsAreNotEncoded() {
    for (String origin : new String[] {"US-", "US-NY", "us-ny", "USA", "US_ny", "U", ""}) {
      assertThrows(
          IllegalArgumentException.class, () -> CanonicalEncoding.batch(batch(origin)), origin);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> CanonicalEncoding.batch(batch("US-" + "a".repeat(33))));
    assertEquals(
        25 + 1 + 16 + 1 + 35 + 8 + 8 + 4 + 26,
        CanonicalEncoding.batch(batch("US-" + "a".repeat(32))).length);
  }
}
