package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/**
 * R26.6: a key with a symptom status is exported without days since onset (phones read that field
 * as a known onset, and gateway codes are outside what they accept), while a known onset is
 * exported as before.
 */
class GaenExportSymptomsTest {
  private static DiagnosisKey key(int first, Symptoms s) {
    byte[] data = new byte[16];
    data[0] = (byte) first;
    return s.applyTo(
            DiagnosisKey.newBuilder()
                .setKeyData(ByteString.copyFrom(data))
                .setRollingStartIntervalNumber(2_992_608)
                .setRollingPeriod(144)
                .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
                .setTransmissionRiskLevel(4))
        .build();
  }

  @Test
  void onlyAKnownOnsetReachesTheExport() throws IOException {
    GaenExportWriter writer =
        new GaenExportWriter(new GaenExportWriter.SignatureInfo("310", "v1"), bin -> new byte[64]);
    List<DiagnosisKey> keys =
        List.of(
            key(1, new Symptoms.KnownOnset(0)),
            key(2, new Symptoms.OnsetInRange(7, 2)),
            key(3, new Symptoms.Asymptomatic(0)),
            key(4, new Symptoms.StatusUnknown(-3)));
    GaenExportWriter.Content content =
        new GaenExportWriter.Content(
            "DE", new GaenExport.Window(1_795_651_200L, 1_795_654_800L), 1, 1, keys);
    byte[] bin = writer.encode(content);
    GaenExport read = GaenExport.parse(bin, writer.signatureList(content, new byte[64]), "t.zip");
    List<DiagnosisKey> out = read.keys();
    assertEquals(4, out.size());
    assertTrue(out.get(0).hasDaysSinceOnsetOfSymptoms());
    assertEquals(0, out.get(0).getDaysSinceOnsetOfSymptoms());
    for (int i = 1; i < 4; i++) {
      assertFalse(out.get(i).hasDaysSinceOnsetOfSymptoms(), "key " + i);
      assertFalse(out.get(i).hasSymptomStatus(), "key " + i);
      assertEquals(keys.get(i).getKeyData(), out.get(i).getKeyData());
    }
  }
}
