package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/**
 * The suite's own key-record encoder writes the symptom byte and day count of every EU gateway code
 * in {@code spec/testvectors/symptom_status_efgs_v1.json}, and its whole key records (§26.1).
 */
class SuiteSymptomVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String FILE = "symptom_status_efgs_v1.json";

  @Test
  void symptomBytesMatchEveryCode() throws Exception {
    List<String> failures = new ArrayList<>();
    DiagnosisKey.Builder base =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(new byte[16]))
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST);
    int valid = 0;
    for (JsonObject t : VectorJson.tests(VectorJson.file(FILE), "EfgsCodeMapping")) {
      if (!t.get("result").getAsString().equals("valid")) {
        continue;
      }
      valid++;
      JsonObject fields = t.getAsJsonObject("fields");
      DiagnosisKey.Builder k = VectorJson.symptoms(fields, base.clone());
      if (fields.has("days_since_onset_of_symptoms")) {
        k.setDaysSinceOnsetOfSymptoms(fields.get("days_since_onset_of_symptoms").getAsInt());
      }
      byte[] record = Canonical.keyRecord(k.build());
      String got = HEX.formatHex(Arrays.copyOfRange(record, 22, 24));
      if (!got.equals(t.get("symptomBytes").getAsString())) {
        failures.add("tcId " + t.get("tcId") + ": " + got);
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(23 * 29, valid);
  }

  @Test
  void keyRecordsMatch() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t : VectorJson.tests(VectorJson.file(FILE), "KeyRecordEncoding")) {
      String got = HEX.formatHex(Canonical.keyRecord(VectorJson.key(t.getAsJsonObject("key"))));
      if (!got.equals(t.get("record").getAsString())) {
        failures.add("tcId " + t.get("tcId") + ": " + got);
      }
    }
    assertEquals(List.of(), failures);
  }
}
