package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/**
 * Format 2 (spec §5.3, §25): the batch of the §5.8 worked example as a TRAVELLER batch. The scope
 * is one signed byte after {@code created_unix_seconds}; format 1 has no such byte.
 */
class ScopedBatchEncodingTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The §5.8 batch in format 2 with {@code scope}. */
  private static DiagnosisKeyBatch example(int format, BatchScope scope) {
    DiagnosisKey a =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.fromHex("75c734c6dd1a782de7a965da5eb93125"))
            .setRollingStartIntervalNumber(2992608)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setDaysSinceOnsetOfSymptoms(0)
            .setTransmissionRiskLevel(4)
            .addVisitedCountries("AT")
            .addVisitedCountries("FR")
            .build();
    DiagnosisKey b =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.fromHex("0123456789abcdef0123456789abcdef"))
            .setRollingStartIntervalNumber(2992464)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setTransmissionRiskLevel(2)
            .build();
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(format)
        .setBatchId(ByteString.fromHex("000102030405060708090a0b0c0d0e0f"))
        .setOrigin("DE")
        .setSequence(7)
        .setCreatedUnixSeconds(1795654800L)
        .addKeys(a)
        .addKeys(b)
        .setScope(scope)
        .build();
  }

  @Test
  void travellerBatchOfTheWorkedExample() {
    byte[] encoding = CanonicalEncoding.batch(example(2, BatchScope.BATCH_SCOPE_TRAVELLER));
    assertEquals(
        "66656474726163652e76312e626174636800"
            + "02"
            + "000102030405060708090a0b0c0d0e0f"
            + "4445"
            + "0000000000000007"
            + "000000006b078490"
            + "02"
            + "00000002"
            + "0123456789abcdef0123456789abcdef002da950900100000200"
            + "75c734c6dd1a782de7a965da5eb93125002da9e090010100040241544652",
        HEX.formatHex(encoding));
    assertEquals(114, encoding.length);
    assertEquals(
        "0405a4218774b8fcb2525e1542b05824554b02db88ab3246a87cba587eadd7d5",
        HEX.formatHex(Sha256.hash(encoding)));
  }

  @Test
  void theScopeIsSignedInFormat2AndAbsentFromFormat1() {
    String federate =
        HEX.formatHex(CanonicalEncoding.batch(example(2, BatchScope.BATCH_SCOPE_FEDERATE)));
    String traveller =
        HEX.formatHex(CanonicalEncoding.batch(example(2, BatchScope.BATCH_SCOPE_TRAVELLER)));
    assertNotEquals(federate, traveller, "relabelling a batch breaks its signature");
    // format 1: the §5.8 bytes, 113 of them, whatever the (refused, R25.6) scope field holds
    assertEquals(
        "a45171a42adae5e2e3b9cf9b320079a419a77ff521490c0c2322f534486c4aa3",
        HEX.formatHex(
            Sha256.hash(CanonicalEncoding.batch(example(1, BatchScope.BATCH_SCOPE_UNSPECIFIED)))));
  }
}
