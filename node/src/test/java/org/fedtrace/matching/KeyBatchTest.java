package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.OptionalInt;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

class KeyBatchTest {
  private static final byte[] KEY = new byte[16];

  @Test
  void readsProtoKeysKeepingADaysSinceOnsetOfZero() {
    DiagnosisKey withOnset =
        DiagnosisKey.newBuilder()
            .setKeyData(
                ByteString.copyFrom(
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
            .setRollingStartIntervalNumber(2_700_000)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setDaysSinceOnsetOfSymptoms(0)
            .setTransmissionRiskLevel(6)
            .build();
    DiagnosisKey withoutOnset =
        withOnset.toBuilder().clearDaysSinceOnsetOfSymptoms().setRollingPeriod(12).build();
    KeyBatch keys = KeyBatch.fromProto(List.of(withOnset, withoutOnset));
    assertEquals(2, keys.size());
    assertEquals(156, keys.rpiCount());
    assertArrayEquals(withOnset.getKeyData().toByteArray(), keys.keyData(0));
    assertEquals(2_700_000, keys.rollingStart(0));
    assertEquals(6, keys.transmissionRiskLevel(0));
    assertEquals(OptionalInt.of(0), keys.daysSinceOnset(0));
    assertEquals(OptionalInt.empty(), keys.daysSinceOnset(1));
    assertEquals(12, keys.rollingPeriod(1));
  }

  @Test
  void refusesRevokedAndOutOfRangeProtoKeysNamingTheKey() {
    DiagnosisKey good =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(KEY))
            .setRollingStartIntervalNumber(2_700_000)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .build();
    assertEquals(
        "key 1: revoked keys are not matched",
        refused(good, good.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build()));
    assertEquals(
        "key 1: rolling period must be in 1..144, got 145",
        refused(good, good.toBuilder().setRollingPeriod(145).build()));
    assertEquals(
        "key 1: rolling start interval number must be in 0..2147483647",
        refused(good, good.toBuilder().setRollingStartIntervalNumber(-5).build()));
    assertEquals(
        "key 1: key data must be 16 bytes, got 15",
        refused(good, good.toBuilder().setKeyData(ByteString.copyFrom(new byte[15])).build()));
    assertEquals(
        "key 1: days since onset of symptoms must be in -14..14, got 15",
        refused(good, good.toBuilder().setDaysSinceOnsetOfSymptoms(15).build()));
    assertEquals(
        "key 1: transmission risk level must be in 0..8, got 9",
        refused(good, good.toBuilder().setTransmissionRiskLevel(9).build()));
  }

  @Test
  void builderRefusesOutOfRangeValues() {
    KeyBatch.Builder b = KeyBatch.builder(0);
    assertEquals(
        "rolling period must be in 1..144, got 0",
        assertThrows(IllegalArgumentException.class, () -> b.add(KEY, 1, 0, 0)).getMessage());
    assertEquals(
        "rolling start interval number must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> b.add(KEY, -1, 1, 0)).getMessage());
    assertEquals(
        "transmission risk level must be in 0..8, got -1",
        assertThrows(IllegalArgumentException.class, () -> b.add(KEY, 1, 1, -1)).getMessage());
    assertEquals(
        "days since onset of symptoms must be in -14..14, got -15",
        assertThrows(IllegalArgumentException.class, () -> b.add(KEY, 1, 1, 0, -15)).getMessage());
    assertEquals(0, b.build().size());
  }

  @Test
  void slicesKeepEveryColumn() {
    KeyBatch keys = TestKeys.random(100, 3);
    KeyBatch slice = keys.slice(10, 30);
    assertEquals(20, slice.size());
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(keys.keyData(10 + i), slice.keyData(i));
      assertEquals(keys.rollingStart(10 + i), slice.rollingStart(i));
      assertEquals(keys.rollingPeriod(10 + i), slice.rollingPeriod(i));
      assertEquals(keys.transmissionRiskLevel(10 + i), slice.transmissionRiskLevel(i));
      assertEquals(keys.daysSinceOnset(10 + i), slice.daysSinceOnset(i));
    }
    assertEquals(
        "slice 5..101 of a batch of 100 keys",
        assertThrows(IndexOutOfBoundsException.class, () -> keys.slice(5, 101)).getMessage());
  }

  private static String refused(DiagnosisKey... keys) {
    return assertThrows(IllegalArgumentException.class, () -> KeyBatch.fromProto(List.of(keys)))
        .getMessage();
  }
}
