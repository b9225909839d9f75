package org.fedtrace.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link TokenDeriver} against every test of {@code spec/testvectors/en_crypto_v1_2.json},
 * the published Exposure Notification v1.2 known-answer values, and {@link ReferenceTokenDeriver}
 * (Bouncy Castle) against its RPIs.
 */
class EnCryptoVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void derivesEveryPublishedValue() {
    JsonNode vectors = TestVectorFiles.read("en_crypto_v1_2.json");
    TokenDeriver deriver = TokenDeriver.create();
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (JsonNode group : vectors.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        count++;
        String id = "tcId " + t.get("tcId").asInt() + ": ";
        TemporaryExposureKey tek = TemporaryExposureKey.of(hex(t, "tek"));
        int enin = t.get("en_interval_number").asInt();
        byte[] rpi = deriver.rpi(tek, enin);
        byte[] bcRpi = ReferenceTokenDeriver.rpis(tek.toByteArray(), enin, 1);
        compare(failures, id + "rpik", t, "rpik", deriver.rpik(tek));
        compare(failures, id + "aemk", t, "aemk", deriver.aemk(tek));
        compare(failures, id + "padded_data", t, "padded_data", TokenDeriver.paddedData(enin));
        compare(failures, id + "rpi", t, "rpi", rpi);
        compare(failures, id + "rpi (Bouncy Castle)", t, "rpi", bcRpi);
        compare(failures, id + "aem", t, "aem", deriver.aem(tek, rpi, hex(t, "metadata")));
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(vectors.get("numberOfTests").asInt(), count);
  }

  private static void compare(
      List<String> failures, String what, JsonNode t, String field, byte[] actual) {
    if (!Arrays.equals(hex(t, field), actual)) {
      failures.add(what + ": expected " + t.get(field).asText() + ", got " + HEX.formatHex(actual));
    }
  }

  private static byte[] hex(JsonNode t, String field) {
    return HEX.parseHex(t.get(field).asText());
  }
}
