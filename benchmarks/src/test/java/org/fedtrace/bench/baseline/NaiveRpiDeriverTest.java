package org.fedtrace.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.fedtrace.crypto.TokenDeriver;
import org.junit.jupiter.api.Test;

class NaiveRpiDeriverTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void matchesThePublishedVectorAndTheFastPath() {
    byte[] tek = HEX.parseHex("75c734c6dd1a782de7a965da5eb93125");
    byte[] rpik = NaiveRpiDeriver.rpik(tek);
    assertEquals("185ad91db69ec7dd048960f1f3ba6175", HEX.formatHex(rpik));
    assertEquals(
        "8be6cd371c5c891604bfbe49df845096", HEX.formatHex(NaiveRpiDeriver.rpi(rpik, 2642976)));
    byte[] fast = new byte[144 * 16];
    TokenDeriver.create().deriveRpis(tek, 2642976, 144, fast, 0);
    for (int i = 0; i < 144; i++) {
      byte[] one = new byte[16];
      System.arraycopy(fast, i * 16, one, 0, 16);
      assertArrayEquals(one, NaiveRpiDeriver.rpi(rpik, 2642976 + i));
    }
  }
}
