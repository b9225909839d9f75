package org.fedtrace.batch;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The byte layout of {@link CanonicalEncoding}, and its refusals of fields of the wrong width. */
class CanonicalEncodingTest {
  private static final HexFormat HEX = HexFormat.of();

  private static final DiagnosisKey KEY =
      DiagnosisKey.newBuilder()
          .setKeyData(ByteString.fromHex("000102030405060708090a0b0c0d0e0f"))
          .setRollingStartIntervalNumber(2_945_232)
          .setRollingPeriod(144)
          .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
          .setDaysSinceOnsetOfSymptoms(-3)
          .setTransmissionRiskLevel(5)
          .addAllVisitedCountries(List.of("AT", "FR"))
          .build();

  private static final DiagnosisKeyBatch BATCH =
      DiagnosisKeyBatch.newBuilder()
          .setFormatVersion(1)
          .setBatchId(ByteString.fromHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"))
          .setOrigin("DE")
          .setSequence(7)
          .setCreatedUnixSeconds(1_767_225_600L)
          .addKeys(KEY)
          .build();

  @Test
  void keyRecordLayout() {
    assertEquals(
        "000102030405060708090a0b0c0d0e0f" // key_data
            + "002cf0d0" // rolling_start_interval_number, u32 big-endian
            + "90" // rolling_period 144
            + "01" // report_type CONFIRMED_TEST
            + "01" // days_since_onset_of_symptoms present
            + "fd" // -3 as a signed byte
            + "05" // transmission_risk_level
            + "02" // two visited countries
            + "4154" // AT
            + "4652", // FR
        HEX.formatHex(CanonicalEncoding.keyRecord(KEY)));
  }

  @Test
  void batchLayout() {
    assertEquals(
        HEX.formatHex("fedtrace.v1.batch".getBytes(US_ASCII))
            + "00" // end of the domain separator
            + "01" // format_version
            + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" // batch_id
            + "4445" // origin DE
            + "0000000000000007" // sequence, u64
            + "000000006955b900" // created_unix_seconds, i64
            + "00000001" // key count
            + HEX.formatHex(CanonicalEncoding.keyRecord(KEY)),
        HEX.formatHex(CanonicalEncoding.batch(BATCH)));
  }

  @Test
  void daysSinceOnsetAbsentAndZeroDiffer() {
    String absent =
        HEX.formatHex(
            CanonicalEncoding.keyRecord(KEY.toBuilder().clearDaysSinceOnsetOfSymptoms().build()));
    String zero =
        HEX.formatHex(
            CanonicalEncoding.keyRecord(KEY.toBuilder().setDaysSinceOnsetOfSymptoms(0).build()));
    assertNotEquals(absent, zero);
    assertEquals("0000", absent.substring(44, 48));
    assertEquals("0100", zero.substring(44, 48));
  }

  @Test
  void signatureAndCertificateAreNotCovered() {
    DiagnosisKeyBatch signed =
        BATCH.toBuilder()
            .setSignature(ByteString.copyFrom(new byte[64]))
            .setSignerCertificate(ByteString.copyFromUtf8("certificate"))
            .build();
    assertEquals(
        HEX.formatHex(CanonicalEncoding.batch(BATCH)),
        HEX.formatHex(CanonicalEncoding.batch(signed)));
  }

  @Test
  void keySetDigestIsSha256OfTheKeySetEncoding() {
    assertEquals(
        HEX.formatHex("fedtrace.v1.keyset".getBytes(US_ASCII))
            + "00"
            + "00000001"
            + HEX.formatHex(CanonicalEncoding.keyRecord(KEY)),
        HEX.formatHex(CanonicalEncoding.keySet(List.of(KEY))));
    assertEquals(
        HEX.formatHex(Sha256.hash(CanonicalEncoding.keySet(List.of(KEY)))),
        HEX.formatHex(CanonicalEncoding.keySetDigest(List.of(KEY))));
  }

  @Test
  void recordsSharingLongPrefixesSortOnTheirWholeBytes() {
    List<DiagnosisKey> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] data = HEX.parseHex("0a0b0c0d0e0f1011" + "0000000000000000");
      data[15] = (byte) (i % 10); // ten key_data values sharing their first 15 bytes
      keys.add(
          KEY.toBuilder()
              .setKeyData(ByteString.copyFrom(data))
              .setTransmissionRiskLevel(i / 10) // four records per key_data, differing later
              .build());
    }
    keys.add(KEY.toBuilder().setKeyData(ByteString.fromHex("ff" + "00".repeat(15))).build());
    keys.add(KEY.toBuilder().setKeyData(ByteString.fromHex("00".repeat(16))).build());
    List<byte[]> records = new ArrayList<>();
    for (DiagnosisKey k : keys) {
      records.add(CanonicalEncoding.keyRecord(k));
    }
    records.sort(Arrays::compareUnsigned);
    ByteArrayOutputStream sorted = new ByteArrayOutputStream();
    records.forEach(sorted::writeBytes);
    String expected = HEX.formatHex(sorted.toByteArray());
    Random random = new Random(5);
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(keys, random);
      String encoding =
          HEX.formatHex(
              CanonicalEncoding.batch(BATCH.toBuilder().clearKeys().addAllKeys(keys).build()));
      assertEquals(expected, encoding.substring(encoding.length() - expected.length()));
      List<DiagnosisKey> inOrder = CanonicalEncoding.sortedKeys(keys);
      for (int i = 0; i < records.size(); i++) {
        assertEquals(
            HEX.formatHex(records.get(i)),
            HEX.formatHex(CanonicalEncoding.keyRecord(inOrder.get(i))));
      }
    }
  }

  @Test
  void refusesBatchIdOf15Bytes() {
    DiagnosisKeyBatch b = BATCH.toBuilder().setBatchId(ByteString.copyFrom(new byte[15])).build();
    assertRefused("batch_id must be 16 bytes, got 15", () -> CanonicalEncoding.batch(b));
  }

  @Test
  void refusesKeyDataOf17Bytes() {
    DiagnosisKey k = KEY.toBuilder().setKeyData(ByteString.copyFrom(new byte[17])).build();
    assertRefused("key_data must be 16 bytes, got 17", () -> CanonicalEncoding.keyRecord(k));
    assertRefused(
        "key_data must be 16 bytes, got 17",
        () -> CanonicalEncoding.batch(BATCH.toBuilder().addKeys(k).build()));
  }

  @Test
  void refusesLowerCaseOrigin() {
    DiagnosisKeyBatch b = BATCH.toBuilder().setOrigin("de").build();
    assertRefused("origin must be two upper-case ASCII letters", () -> CanonicalEncoding.batch(b));
  }

  @Test
  void refuses33VisitedCountries() {
    DiagnosisKey k =
        KEY.toBuilder()
            .clearVisitedCountries()
            .addAllVisitedCountries(Collections.nCopies(33, "FR"))
            .build();
    assertRefused("visited_countries count must be in 0..32", () -> CanonicalEncoding.keyRecord(k));
    assertRefused(
        "visited_countries count must be in 0..32",
        () -> CanonicalEncoding.keySet(List.of(KEY, k)));
  }

  private static void assertRefused(String message, Executable encode) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, encode).getMessage());
  }
}
