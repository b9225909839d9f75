package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;
import static org.fedtrace.batch.vectors.KeyEdits.descending;
import static org.fedtrace.batch.vectors.KeyEdits.dsos;
import static org.fedtrace.batch.vectors.KeyEdits.visited;
import static org.fedtrace.batch.vectors.KeyEdits.withKeys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/**
 * Generates {@code spec/testvectors/canonical_encoding_v1.json}: Wycheproof-style vectors of the
 * canonical encodings of spec/protocol.md section 5 — single key records, key sets with their
 * SHA-256 digest (what an upload authorization's keys_digest binds), and batches with their content
 * hash — including fields of the wrong width or out of range, which an encoder must refuse.
 *
 * <p>Deterministic like {@link BatchVectorGenerator}; {@code CanonicalEncodingVectorsTest} checks
 * that the checked-in file equals its output.
 */
public final class CanonicalEncodingVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "canonical_encoding_v1.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "1";

  private static final int ENIN = 2_945_232;

  private static final Map<String, String> NOTES = new LinkedHashMap<>();

  static {
    NOTES.put(
        "DsosAbsent", "days_since_onset_of_symptoms absent: dsos_present 00 and value byte 00.");
    NOTES.put(
        "DsosZero",
        "days_since_onset_of_symptoms present and 0: dsos_present 01, value 00; not the same"
            + " bytes as absent.");
    NOTES.put("DsosNegative", "A negative days_since_onset_of_symptoms: a two's complement byte.");
    NOTES.put("DsosBounds", "days_since_onset_of_symptoms at the bounds of a signed byte.");
    NOTES.put("RollingPeriodBounds", "rolling_period 1 or 144.");
    NOTES.put(
        "HighBitIntegers",
        "An unsigned field (u32 rolling_start_interval_number, u64 sequence) with its top bit set:"
            + " it is encoded as the unsigned value, big-endian.");
    NOTES.put("VisitedCountries", "0, 1 or 32 visited countries, each two ASCII bytes.");
    NOTES.put(
        "VisitedCountriesOrder",
        "Visited countries not in ascending order: the encoding keeps the given order (validation"
            + " rejects such a key, but the encoding is defined for it).");
    NOTES.put(
        "OutsideValidationRange",
        "A value that fits the field's width though validation rejects it (rolling_period 0 or"
            + " 255, report type 0 or unknown, risk level 255, days since onset 100). Encoders"
            + " must agree on its bytes.");
    NOTES.put("WrongWidth", "A fixed-width bytes field of the wrong length: encoding fails.");
    NOTES.put("OutOfRange", "A number that does not fit its field's width: encoding fails.");
    NOTES.put(
        "InvalidCountryCode",
        "A country code that is not two upper-case ASCII letters: encoding fails.");
    NOTES.put("TooManyVisitedCountries", "33 visited countries (at most 32): encoding fails.");
    NOTES.put(
        "SortedRecords",
        "Keys listed out of order: the encoding sorts their records ascending, so msg does not"
            + " depend on the order of the list.");
    NOTES.put(
        "UnsignedOrder",
        "Records starting with bytes 7f and 80: unsigned comparison sorts 7f first (a signed byte"
            + " comparison would not).");
    NOTES.put(
        "SameKeyData",
        "Two records with the same key_data: they sort by their first differing metadata byte.");
    NOTES.put("EmptyKeySet", "No keys: the encoding is the header with count 0.");
  }

  private final VectorDrbg drbg = new VectorDrbg("fedtrace canonical encoding vectors v1");
  private final VectorFile file = new VectorFile(NOTES);

  private CanonicalEncodingVectorGenerator() {}

  /** The vector file's text. */
  public static String generate() {
    return new CanonicalEncodingVectorGenerator().build();
  }

  /**
   * Writes the vector file into the folder {@code args[0]}, or into the repository's {@code
   * spec/testvectors/} when no argument is given.
   */
  public static void main(String[] args) throws IOException {
    TestVectorFiles.write(args, FILE_NAME, generate());
  }

  private String build() {
    keyRecords(file.group("KeyRecordEncoding"));
    keySets(file.group("KeySetEncoding"));
    batches(file.group("BatchEncoding"));
    return file.format(
        "fedtrace canonical encoding v1",
        GENERATOR_VERSION,
        List.of(
            "The canonical encodings of spec/protocol.md section 5. KeyRecordEncoding: record is"
                + " the key record of key. KeySetEncoding: msg is the key-set encoding of keys and"
                + " digest its SHA-256 (an upload authorization's keys_digest). BatchEncoding: msg"
                + " is the batch encoding that batch signatures cover and digest its SHA-256 (the"
                + " batch content hash). result invalid: the encoder must refuse the input, and"
                + " the expected bytes are empty.",
            "Generated by org.fedtrace.batch.vectors.CanonicalEncodingVectorGenerator; do not"
                + " edit."));
  }

  private void keyRecords(ObjectNode g) {
    DiagnosisKey k = key(ReportType.REPORT_TYPE_CONFIRMED_TEST, 3);
    record(g, "days_since_onset_of_symptoms absent", k, "DsosAbsent");
    record(g, "days_since_onset_of_symptoms 0", dsos(k, 0), "DsosZero");
    record(g, "days_since_onset_of_symptoms -14", dsos(k, -14), "DsosNegative");
    record(g, "days_since_onset_of_symptoms 14", dsos(k, 14));
    record(g, "days_since_onset_of_symptoms -128", dsos(k, -128), "DsosBounds", "DsosNegative");
    record(g, "days_since_onset_of_symptoms 127", dsos(k, 127), "DsosBounds");
    record(g, "rolling_period 1", k.toBuilder().setRollingPeriod(1).build(), "RollingPeriodBounds");
    record(
        g,
        "rolling_start_interval_number 0",
        k.toBuilder().setRollingStartIntervalNumber(0).build());
    record(
        g,
        "rolling_start_interval_number 4294967295",
        k.toBuilder().setRollingStartIntervalNumber(-1).build(),
        "HighBitIntegers");
    for (ReportType t : ReportType.values()) {
      if (t != ReportType.UNRECOGNIZED && t != ReportType.REPORT_TYPE_UNSPECIFIED) {
        record(g, "report_type " + t.name(), k.toBuilder().setReportType(t).build());
      }
    }
    record(g, "transmission_risk_level 0", k.toBuilder().setTransmissionRiskLevel(0).build());
    record(g, "transmission_risk_level 8", k.toBuilder().setTransmissionRiskLevel(8).build());
    record(g, "one visited country", visited(k, "FR"), "VisitedCountries");
    record(g, "32 visited countries", visited(k, countries(32)), "VisitedCountries");
    record(
        g, "visited countries NL, BE, FR", visited(k, "NL", "BE", "FR"), "VisitedCountriesOrder");
    String range = "OutsideValidationRange";
    record(g, "rolling_period 0", k.toBuilder().setRollingPeriod(0).build(), range);
    record(g, "rolling_period 255", k.toBuilder().setRollingPeriod(255).build(), range);
    record(g, "report_type UNSPECIFIED (0)", k.toBuilder().setReportTypeValue(0).build(), range);
    record(g, "report_type 200 (unknown)", k.toBuilder().setReportTypeValue(200).build(), range);
    record(
        g,
        "transmission_risk_level 255",
        k.toBuilder().setTransmissionRiskLevel(255).build(),
        range);
    record(g, "days_since_onset_of_symptoms 100", dsos(k, 100), range);

    refused(g, "key_data of 15 bytes", keyData(k, 15), "WrongWidth");
    refused(g, "key_data of 17 bytes", keyData(k, 17), "WrongWidth");
    refused(g, "empty key_data", keyData(k, 0), "WrongWidth");
    refused(g, "rolling_period 256", k.toBuilder().setRollingPeriod(256).build(), "OutOfRange");
    refused(g, "report_type 256", k.toBuilder().setReportTypeValue(256).build(), "OutOfRange");
    refused(
        g,
        "transmission_risk_level 256",
        k.toBuilder().setTransmissionRiskLevel(256).build(),
        "OutOfRange");
    refused(g, "days_since_onset_of_symptoms 128", dsos(k, 128), "OutOfRange");
    refused(g, "days_since_onset_of_symptoms -129", dsos(k, -129), "OutOfRange");
    for (String code : List.of("de", "D", "DEU", "1A", "")) {
      refused(g, "visited country \"" + code + "\"", visited(k, code), "InvalidCountryCode");
    }
    refused(g, "33 visited countries", visited(k, countries(33)), "TooManyVisitedCountries");
  }

  private void keySets(ObjectNode g) {
    keySet(g, "no keys", List.of(), "EmptyKeySet");
    DiagnosisKey a = dsos(key(ReportType.REPORT_TYPE_CONFIRMED_TEST, 4), 1);
    keySet(g, "one key", List.of(a));
    List<DiagnosisKey> three =
        List.of(
            a,
            visited(key(ReportType.REPORT_TYPE_SELF_REPORT, 2), "AT", "FR"),
            dsos(key(ReportType.REPORT_TYPE_CONFIRMED_CLINICAL_DIAGNOSIS, 6), 0));
    keySet(g, "three keys", descending(three), "SortedRecords");
    keySet(
        g,
        "keys starting with bytes 80 and 7f",
        List.of(startingWith(a, 0x80), startingWith(a, 0x7f)),
        "UnsignedOrder",
        "SortedRecords");
    keySet(
        g,
        "the same key_data with rolling periods 144 and 1",
        List.of(a, a.toBuilder().setRollingPeriod(1).build()),
        "SameKeyData",
        "SortedRecords");
    ObjectNode t = file.test(g, "a key with key_data of 15 bytes", List.of("WrongWidth"));
    ArrayNode keys = t.putArray("keys");
    keys.add(BatchJson.keyToJson(a));
    keys.add(BatchJson.keyToJson(keyData(a, 15)));
    t.put("msg", "");
    t.put("digest", "");
    t.put("result", "invalid");
  }

  private void batches(ObjectNode g) {
    List<DiagnosisKey> keys =
        List.of(
            dsos(key(ReportType.REPORT_TYPE_CONFIRMED_TEST, 5), -2),
            visited(key(ReportType.REPORT_TYPE_CONFIRMED_TEST, 5), "BE"));
    DiagnosisKeyBatch b =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
            .setBatchId(ByteString.copyFrom(drbg.bytes(CanonicalEncoding.BATCH_ID_LENGTH)))
            .setOrigin("NL")
            .setSequence(1234)
            .setCreatedUnixSeconds(1_767_225_600L)
            .addAllKeys(keys)
            .build();
    batch(g, "two keys", b);
    batch(g, "the two keys in the other order", withKeys(b, descending(keys)), "SortedRecords");
    batch(g, "sequence 2^64 - 1", b.toBuilder().setSequence(-1L).build(), "HighBitIntegers");
    batch(
        g,
        "a signer_certificate, which the encoding leaves out",
        b.toBuilder().setSignerCertificate(ByteString.copyFrom(drbg.bytes(40))).build());
    for (int length : new int[] {15, 17}) {
      batch(
          g,
          "batch_id of " + length + " bytes",
          b.toBuilder().setBatchId(ByteString.copyFrom(drbg.bytes(length))).build(),
          "WrongWidth");
    }
    batch(g, "format_version 256", b.toBuilder().setFormatVersion(256).build(), "OutOfRange");
    for (String code : List.of("de", "D", "DEU", "")) {
      batch(
          g,
          "origin \"" + code + "\"",
          b.toBuilder().setOrigin(code).build(),
          "InvalidCountryCode");
    }
    batch(
        g,
        "a key with key_data of 17 bytes",
        withKeys(b, List.of(keys.get(0), keyData(keys.get(1), 17))),
        "WrongWidth");
  }

  private void record(ObjectNode g, String comment, DiagnosisKey k, String... flags) {
    ObjectNode t = file.test(g, comment, List.of(flags));
    t.set("key", BatchJson.keyToJson(k));
    t.put("record", HEX.formatHex(CanonicalEncoding.keyRecord(k)));
    t.put("result", "valid");
  }

  private void refused(ObjectNode g, String comment, DiagnosisKey k, String... flags) {
    requireRefused(() -> CanonicalEncoding.keyRecord(k), comment);
    ObjectNode t = file.test(g, comment, List.of(flags));
    t.set("key", BatchJson.keyToJson(k));
    t.put("record", "");
    t.put("result", "invalid");
  }

  private void keySet(ObjectNode g, String comment, List<DiagnosisKey> keys, String... flags) {
    ObjectNode t = file.test(g, comment, List.of(flags));
    ArrayNode list = t.putArray("keys");
    keys.forEach(k -> list.add(BatchJson.keyToJson(k)));
    t.put("msg", HEX.formatHex(CanonicalEncoding.keySet(keys)));
    t.put("digest", HEX.formatHex(CanonicalEncoding.keySetDigest(keys)));
    t.put("result", "valid");
  }

  /** A valid test when {@code b} encodes, an invalid one (no bytes) when the encoder refuses it. */
  private void batch(ObjectNode g, String comment, DiagnosisKeyBatch b, String... flags) {
    ObjectNode t = file.test(g, comment, List.of(flags));
    t.set("batch", BatchJson.batchToJson(b));
    try {
      byte[] msg = CanonicalEncoding.batch(b);
      t.put("msg", HEX.formatHex(msg));
      t.put("digest", HEX.formatHex(CanonicalEncoding.batchDigest(b)));
      t.put("result", "valid");
    } catch (IllegalArgumentException e) {
      t.put("msg", "");
      t.put("digest", "");
      t.put("result", "invalid");
    }
  }

  private static void requireRefused(Runnable encode, String comment) {
    try {
      encode.run();
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new IllegalStateException("the encoder accepted an invalid vector: " + comment);
  }

  private DiagnosisKey key(ReportType type, int risk) {
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(drbg.bytes(16)))
        .setRollingStartIntervalNumber(ENIN)
        .setRollingPeriod(144)
        .setReportType(type)
        .setTransmissionRiskLevel(risk)
        .build();
  }

  private DiagnosisKey keyData(DiagnosisKey k, int length) {
    return k.toBuilder().setKeyData(ByteString.copyFrom(drbg.bytes(length))).build();
  }

  private static DiagnosisKey startingWith(DiagnosisKey k, int firstByte) {
    byte[] data = k.getKeyData().toByteArray();
    data[0] = (byte) firstByte;
    return k.toBuilder().setKeyData(ByteString.copyFrom(data)).build();
  }

  /** The first {@code n} codes AA, AB, ..., in ascending order (codes, not real countries). */
  private static String[] countries(int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
    }
    return out;
  }
}
