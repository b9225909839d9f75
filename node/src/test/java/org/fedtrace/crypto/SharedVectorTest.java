package org.fedtrace.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.fedtrace.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Reads the published vector from ../shared/vectors/gaen-sample.json, where CI provides it, and
 * checks every value against {@link TokenDeriver}. Skips, saying why, in a clone without it.
 */
class SharedVectorTest {
  @Test
  void derivesEveryValueOfTheSharedVector() throws IOException {
    Path file = SharedData.require("vectors/gaen-sample.json");
    JsonNode v = new ObjectMapper().readTree(file.toFile());
    HexFormat hex = HexFormat.of();
    TemporaryExposureKey tek = TemporaryExposureKey.of(hex.parseHex(v.get("tek").asText()));
    TokenDeriver d = TokenDeriver.create();
    JsonNode i0 = v.get("interval_0");
    int enin = i0.get("en_interval_number").asInt();
    assertEquals(v.get("rolling_start_interval_number").asInt(), enin);
    assertEquals(v.get("rpik").asText(), hex.formatHex(d.rpik(tek)));
    assertEquals(v.get("aemk").asText(), hex.formatHex(d.aemk(tek)));
    assertEquals(i0.get("padded_data").asText(), hex.formatHex(TokenDeriver.paddedData(enin)));
    byte[] rpi = d.rpi(tek, enin);
    assertEquals(i0.get("rpi").asText(), hex.formatHex(rpi));
    byte[] aem = d.aem(tek, rpi, hex.parseHex(v.get("ble_metadata").asText()));
    assertEquals(i0.get("aem").asText(), hex.formatHex(aem));
  }
}
