package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.conformance.wire.Rpis;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/**
 * The suite's own canonical encoding, Ed25519 checks and RPI derivation agree with every vector of
 * the spec, so a conformance verdict never rests on a bug shared with the node under test. Each
 * test collects every failing tcId and asserts the list is empty.
 */
class SuiteCryptoVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void keyRecordsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("canonical_encoding_v1.json"), "KeyRecordEncoding")) {
      check(
          failures,
          t,
          () -> Canonical.keyRecord(VectorJson.key(t.getAsJsonObject("key"))),
          "record");
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void keySetsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("canonical_encoding_v1.json"), "KeySetEncoding")) {
      check(failures, t, () -> Canonical.keySet(VectorJson.keys(t.getAsJsonArray("keys"))), "msg");
      if (t.get("result").getAsString().equals("valid")) {
        byte[] digest =
            Canonical.sha256(Canonical.keySet(VectorJson.keys(t.getAsJsonArray("keys"))));
        if (!Arrays.equals(digest, VectorJson.hex(t, "digest"))) {
          failures.add("tcId " + t.get("tcId") + ": digest " + HEX.formatHex(digest));
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void batchEncodingsMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("canonical_encoding_v1.json"), "BatchEncoding")) {
      check(
          failures, t, () -> Canonical.batch(VectorJson.batch(t.getAsJsonObject("batch"))), "msg");
      if (t.get("result").getAsString().equals("valid")) {
        byte[] hash = Canonical.contentHash(VectorJson.batch(t.getAsJsonObject("batch")));
        if (!Arrays.equals(hash, VectorJson.hex(t, "digest"))) {
          failures.add("tcId " + t.get("tcId") + ": content hash " + HEX.formatHex(hash));
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void batchSignaturesMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("batch_signature_v1.json"), "BatchSignatureVerify")) {
      byte[] pk = VectorJson.hex(t.getAsJsonObject("group").getAsJsonObject("publicKey"), "pk");
      byte[] msg = Canonical.batch(VectorJson.batch(t.getAsJsonObject("batch")));
      if (!Arrays.equals(msg, VectorJson.hex(t, "msg"))) {
        failures.add("tcId " + t.get("tcId") + ": encoding differs from msg");
      }
      boolean valid = t.get("result").getAsString().equals("valid");
      if (Ed25519.verify(pk, msg, VectorJson.hex(t, "sig")) != valid) {
        failures.add("tcId " + t.get("tcId") + ": verification is not " + valid);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void rpisMatchVectors() throws Exception {
    List<String> failures = new ArrayList<>();
    for (JsonObject t :
        VectorJson.tests(VectorJson.file("en_crypto_v1_2.json"), "EnTokenDerivation")) {
      byte[] tek = VectorJson.hex(t, "tek");
      long enin = t.get("en_interval_number").getAsLong();
      if (!Arrays.equals(Rpis.rpik(tek), VectorJson.hex(t, "rpik"))) {
        failures.add("tcId " + t.get("tcId") + ": RPIK " + HEX.formatHex(Rpis.rpik(tek)));
      }
      if (!Arrays.equals(Rpis.rpi(tek, enin), VectorJson.hex(t, "rpi"))) {
        failures.add("tcId " + t.get("tcId") + ": RPI " + HEX.formatHex(Rpis.rpi(tek, enin)));
      }
    }
    // spec §3.3: RPI_1 of the published vector
    assertEquals(
        "3c9a1de5dd6b02afa7fded7b570b3e56",
        HEX.formatHex(Rpis.rpi(HEX.parseHex("75c734c6dd1a782de7a965da5eb93125"), 2642977)));
    assertEquals(List.of(), failures);
  }

  @Test
  void workedExampleOfSection58() {
    // spec §5.8: the content hash of the two-key example batch
    byte[] msg =
        HEX.parseHex(
            "66656474726163652e76312e62617463680001000102030405060708090a0b0c0d0e0f4445"
                + "0000000000000007000000006b07849000000002"
                + "0123456789abcdef0123456789abcdef002da950900100000200"
                + "75c734c6dd1a782de7a965da5eb93125002da9e09001010004024154"
                + "4652");
    assertEquals(
        "a45171a42adae5e2e3b9cf9b320079a419a77ff521490c0c2322f534486c4aa3",
        HEX.formatHex(Canonical.sha256(msg)));
  }

  @Test
  void travellerBatchOfSection53() {
    // spec §5.3 and §25: the §5.8 batch in format 2 with scope TRAVELLER, by the suite's encoder
    DiagnosisKeyBatch b =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion(2)
            .setScope(BatchScope.BATCH_SCOPE_TRAVELLER)
            .setBatchId(ByteString.fromHex("000102030405060708090a0b0c0d0e0f"))
            .setOrigin("DE")
            .setSequence(7)
            .setCreatedUnixSeconds(1795654800L)
            .addKeys(
                DiagnosisKey.newBuilder()
                    .setKeyData(ByteString.fromHex("75c734c6dd1a782de7a965da5eb93125"))
                    .setRollingStartIntervalNumber(2992608)
                    .setRollingPeriod(144)
                    .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
                    .setDaysSinceOnsetOfSymptoms(0)
                    .setTransmissionRiskLevel(4)
                    .addVisitedCountries("AT")
                    .addVisitedCountries("FR"))
            .addKeys(
                DiagnosisKey.newBuilder()
                    .setKeyData(ByteString.fromHex("0123456789abcdef0123456789abcdef"))
                    .setRollingStartIntervalNumber(2992464)
                    .setRollingPeriod(144)
                    .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
                    .setTransmissionRiskLevel(2))
            .build();
    assertEquals(
        "0405a4218774b8fcb2525e1542b05824554b02db88ab3246a87cba587eadd7d5",
        HEX.formatHex(Canonical.sha256(Canonical.batch(b))));
  }

  private interface Encoder {
    byte[] encode();
  }

  private static void check(List<String> failures, JsonObject t, Encoder encoder, String field) {
    String id = "tcId " + t.get("tcId");
    boolean valid = t.get("result").getAsString().equals("valid");
    try {
      byte[] actual = encoder.encode();
      if (!valid) {
        failures.add(id + ": encoded an input the encoder must refuse");
      } else if (!Arrays.equals(actual, VectorJson.hex(t, field))) {
        failures.add(id + ": got " + HEX.formatHex(actual));
      }
    } catch (IllegalArgumentException e) {
      if (valid) {
        failures.add(id + ": refused a valid input: " + e.getMessage());
      }
    }
  }
}
