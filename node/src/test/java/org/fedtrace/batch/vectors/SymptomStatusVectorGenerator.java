package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.OnsetRange;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.proto.v1.SymptomStatus;

/**
 * Generates {@code spec/testvectors/symptom_status_efgs_v1.json}: every days-since-onset code the
 * EU federation gateway published, with the fedtrace symptom fields it maps to (spec §26.1) and the
 * two symptom bytes of the key record; codes outside the published ranges, which a converter
 * refuses (R26.5); and whole key records with a symptom status.
 *
 * <p>Deterministic; {@code SymptomStatusVectorsTest} checks that the checked-in file equals its
 * output.
 */
public final class SymptomStatusVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "symptom_status_efgs_v1.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "1";

  /**
   * The published ranges, as {first, last, flag}: a known onset -14..14; an onset range of n days n
   * × 100 - 14 .. n × 100 + 14, n in 1..19; unknown onset, asymptomatic and unknown status 2000,
   * 3000 and 4000 ± 14.
   */
  static final List<Object[]> RANGES = ranges();

  /** Codes next to the published ranges and far from them: none is a gateway code. */
  static final int[] INVALID_CODES = {
    -15,
    15,
    85,
    115,
    1885,
    1915,
    1985,
    2015,
    2050,
    2985,
    3015,
    3985,
    4015,
    5000,
    -100,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE
  };

  private final VectorFile file = new VectorFile();

  private SymptomStatusVectorGenerator() {
    file.note("KnownOnset", "Symptomatic, onset known: days_since_onset_of_symptoms, byte 01.")
        .note(
            "OnsetRange",
            "Symptomatic, onset within range_days days: symptom_status.onset_range, byte 10 +"
                + " range_days.")
        .note(
            "OnsetUnknown",
            "Symptomatic, onset unknown: onset_unknown_days_since_submission, byte 02.")
        .note("Asymptomatic", "No symptoms: asymptomatic_days_since_submission, byte 03.")
        .note("StatusUnknown", "Symptom status unknown: unknown_days_since_submission, byte 04.")
        .note("ZeroDays", "A day count of 0: present on the wire and in the record all the same.")
        .note("NotACode", "Not a days-since-onset code of the gateway: a converter refuses it.")
        .note("NoSymptoms", "Neither field: no symptom information, record bytes 00 00.");
  }

  /** The vector file's text. */
  public static String generate() {
    return new SymptomStatusVectorGenerator().build();
  }

  /**
   * Writes the vector file into the folder {@code args[0]}, or into the repository's {@code
   * spec/testvectors/} when no argument is given.
   */
  public static void main(String[] args) throws IOException {
    TestVectorFiles.write(args, FILE_NAME, generate());
  }

  private static List<Object[]> ranges() {
    List<Object[]> r = new java.util.ArrayList<>();
    r.add(new Object[] {-14, 14, "KnownOnset"});
    for (int n = 1; n <= Symptoms.MAX_RANGE_DAYS; n++) {
      r.add(new Object[] {n * 100 - 14, n * 100 + 14, "OnsetRange"});
    }
    r.add(new Object[] {1986, 2014, "OnsetUnknown"});
    r.add(new Object[] {2986, 3014, "Asymptomatic"});
    r.add(new Object[] {3986, 4014, "StatusUnknown"});
    return r;
  }

  private String build() {
    ObjectNode codes = file.group("EfgsCodeMapping");
    for (Object[] range : RANGES) {
      for (int code = (int) range[0]; code <= (int) range[1]; code++) {
        Symptoms s = Symptoms.fromEfgsCode(code);
        String flag = (String) range[2];
        ObjectNode t =
            s.days() == 0
                ? file.test(codes, "code " + code, flag, "ZeroDays")
                : file.test(codes, "code " + code, flag);
        t.put("efgsCode", code);
        t.set("fields", fieldsToJson(s.applyTo(DiagnosisKey.newBuilder()).build()));
        byte[] bytes = new byte[2];
        CanonicalEncoding.putSymptoms(bytes, 0, s);
        t.put("symptomBytes", HEX.formatHex(bytes));
        t.put("result", "valid");
      }
    }
    for (int code : INVALID_CODES) {
      ObjectNode t = file.test(codes, "code " + code, "NotACode");
      t.put("efgsCode", code);
      t.putObject("fields");
      t.put("symptomBytes", "");
      t.put("result", "invalid");
    }
    keyRecords(file.group("KeyRecordEncoding"));
    return file.format(
        "fedtrace symptom status and EU gateway days-since-onset codes",
        GENERATOR_VERSION,
        List.of(
            "Spec protocol.md section 26.1. EfgsCodeMapping: efgsCode maps to fields (the"
                + " DiagnosisKey fields days_since_onset_of_symptoms and symptom_status, proto"
                + " field names) and back; symptomBytes are key-record bytes 22 and 23. result"
                + " invalid: the code is outside the published ranges and a converter refuses it"
                + " (R26.5). KeyRecordEncoding: record is the key record (section 5.3) of key.",
            "Generated by org.fedtrace.batch.vectors.SymptomStatusVectorGenerator; do not edit."));
  }

  private void keyRecords(ObjectNode g) {
    DiagnosisKey base =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(HEX.parseHex("75c734c6dd1a782de7a965da5eb93125")))
            .setRollingStartIntervalNumber(2_992_608)
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setTransmissionRiskLevel(4)
            .addVisitedCountries("AT")
            .build();
    record(g, "no symptom information", base, "NoSymptoms");
    record(
        g,
        "onset in a 7-day range ending 2 days before the key's day (code 702)",
        Symptoms.fromEfgsCode(702).applyTo(base.toBuilder()).build(),
        "OnsetRange");
    record(
        g,
        "asymptomatic, key of the submission day (code 3000)",
        Symptoms.fromEfgsCode(3000).applyTo(base.toBuilder()).build(),
        "Asymptomatic",
        "ZeroDays");
    record(
        g,
        "status unknown, key 14 days before submission (code 3986)",
        Symptoms.fromEfgsCode(3986).applyTo(base.toBuilder()).build(),
        "StatusUnknown");
  }

  private void record(ObjectNode g, String comment, DiagnosisKey k, String... flags) {
    ObjectNode t = file.test(g, comment, flags);
    ObjectNode key = BatchJson.keyToJson(k);
    key.setAll(fieldsToJson(k));
    t.set("key", key);
    t.put("record", HEX.formatHex(CanonicalEncoding.keyRecord(k)));
    t.put("result", "valid");
  }

  /** Fields 5 and 8 of {@code k} as proto3 JSON with proto field names. */
  static ObjectNode fieldsToJson(DiagnosisKey k) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (k.hasDaysSinceOnsetOfSymptoms()) {
      n.put("days_since_onset_of_symptoms", k.getDaysSinceOnsetOfSymptoms());
    }
    if (k.hasSymptomStatus()) {
      SymptomStatus s = k.getSymptomStatus();
      ObjectNode o = n.putObject("symptom_status");
      switch (s.getStatusCase()) {
        case ONSET_RANGE ->
            o.putObject("onset_range")
                .put("range_days", s.getOnsetRange().getRangeDays())
                .put("days_since_range_end", s.getOnsetRange().getDaysSinceRangeEnd());
        case ONSET_UNKNOWN_DAYS_SINCE_SUBMISSION ->
            o.put("onset_unknown_days_since_submission", s.getOnsetUnknownDaysSinceSubmission());
        case ASYMPTOMATIC_DAYS_SINCE_SUBMISSION ->
            o.put("asymptomatic_days_since_submission", s.getAsymptomaticDaysSinceSubmission());
        case UNKNOWN_DAYS_SINCE_SUBMISSION ->
            o.put("unknown_days_since_submission", s.getUnknownDaysSinceSubmission());
        default -> throw new IllegalArgumentException("symptom_status sets no state");
      }
    }
    return n;
  }

  /** Fields 5 and 8 read from {@code n}, as {@link #fieldsToJson} writes them, set on {@code k}. */
  static DiagnosisKey.Builder fieldsFromJson(JsonNode n, DiagnosisKey.Builder k) {
    if (n.has("days_since_onset_of_symptoms")) {
      k.setDaysSinceOnsetOfSymptoms(n.get("days_since_onset_of_symptoms").asInt());
    }
    JsonNode s = n.get("symptom_status");
    if (s != null) {
      SymptomStatus.Builder b = SymptomStatus.newBuilder();
      if (s.has("onset_range")) {
        JsonNode r = s.get("onset_range");
        b.setOnsetRange(
            OnsetRange.newBuilder()
                .setRangeDays(r.get("range_days").asInt())
                .setDaysSinceRangeEnd(r.get("days_since_range_end").asInt()));
      } else if (s.has("onset_unknown_days_since_submission")) {
        b.setOnsetUnknownDaysSinceSubmission(s.get("onset_unknown_days_since_submission").asInt());
      } else if (s.has("asymptomatic_days_since_submission")) {
        b.setAsymptomaticDaysSinceSubmission(s.get("asymptomatic_days_since_submission").asInt());
      } else if (s.has("unknown_days_since_submission")) {
        b.setUnknownDaysSinceSubmission(s.get("unknown_days_since_submission").asInt());
      }
      k.setSymptomStatus(b);
    }
    return k;
  }
}
