package org.fedtrace.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.OnsetRange;
import org.fedtrace.proto.v1.SymptomStatus;

/** Reads the spec's Wycheproof-style vector files (shipped with the suite) into messages. */
public final class VectorJson {
  private static final HexFormat HEX = HexFormat.of();

  private VectorJson() {}

  public static JsonObject file(String name) throws IOException {
    String resource = "/org/fedtrace/conformance/spec/testvectors/" + name;
    try (InputStream in = VectorJson.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing vector file " + resource);
      }
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
  }

  public static List<JsonObject> tests(JsonObject file, String groupType) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonElement g : file.getAsJsonArray("testGroups")) {
      JsonObject group = g.getAsJsonObject();
      if (group.get("type").getAsString().equals(groupType)) {
        for (JsonElement t : group.getAsJsonArray("tests")) {
          JsonObject test = t.getAsJsonObject();
          test.add("group", group);
          out.add(test);
        }
      }
    }
    return out;
  }

  static byte[] hex(JsonObject o, String field) {
    return HEX.parseHex(o.get(field).getAsString());
  }

  static DiagnosisKey key(JsonObject k) {
    DiagnosisKey.Builder b =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(hex(k, "key_data")))
            .setRollingStartIntervalNumber((int) k.get("rolling_start_interval_number").getAsLong())
            .setRollingPeriod(k.get("rolling_period").getAsInt())
            .setReportTypeValue(k.get("report_type").getAsInt())
            .setTransmissionRiskLevel(k.get("transmission_risk_level").getAsInt());
    if (k.has("days_since_onset_of_symptoms")) {
      b.setDaysSinceOnsetOfSymptoms(k.get("days_since_onset_of_symptoms").getAsInt());
    }
    for (JsonElement c : k.getAsJsonArray("visited_countries")) {
      b.addVisitedCountries(c.getAsString());
    }
    return symptoms(k, b).build();
  }

  /** Sets {@code symptom_status} (§26.1) from its proto-field-name JSON in {@code k}, if any. */
  static DiagnosisKey.Builder symptoms(JsonObject k, DiagnosisKey.Builder b) {
    if (!k.has("symptom_status")) {
      return b;
    }
    JsonObject s = k.getAsJsonObject("symptom_status");
    SymptomStatus.Builder status = SymptomStatus.newBuilder();
    if (s.has("onset_range")) {
      JsonObject r = s.getAsJsonObject("onset_range");
      status.setOnsetRange(
          OnsetRange.newBuilder()
              .setRangeDays(r.get("range_days").getAsInt())
              .setDaysSinceRangeEnd(r.get("days_since_range_end").getAsInt()));
    } else if (s.has("onset_unknown_days_since_submission")) {
      status.setOnsetUnknownDaysSinceSubmission(
          s.get("onset_unknown_days_since_submission").getAsInt());
    } else if (s.has("asymptomatic_days_since_submission")) {
      status.setAsymptomaticDaysSinceSubmission(
          s.get("asymptomatic_days_since_submission").getAsInt());
    } else if (s.has("unknown_days_since_submission")) {
      status.setUnknownDaysSinceSubmission(s.get("unknown_days_since_submission").getAsInt());
    }
    return b.setSymptomStatus(status);
  }

  static List<DiagnosisKey> keys(JsonArray keys) {
    List<DiagnosisKey> out = new ArrayList<>();
    for (JsonElement k : keys) {
      out.add(key(k.getAsJsonObject()));
    }
    return out;
  }

  static DiagnosisKeyBatch batch(JsonObject b) {
    DiagnosisKeyBatch.Builder out =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion(b.get("format_version").getAsInt())
            .setBatchId(ByteString.copyFrom(hex(b, "batch_id")))
            .setOrigin(b.get("origin").getAsString())
            .setSequence(Long.parseUnsignedLong(b.get("sequence").getAsString()))
            .setCreatedUnixSeconds(Long.parseLong(b.get("created_unix_seconds").getAsString()))
            .addAllKeys(keys(b.getAsJsonArray("keys")));
    if (b.has("signer_certificate")) {
      out.setSignerCertificate(ByteString.copyFrom(hex(b, "signer_certificate")));
    }
    return out.build();
  }
}
