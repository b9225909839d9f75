package org.fedtrace.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests against the published Exposure Notification v1.2 vector (the values of
 * ../shared/vectors/gaen-sample.json, also in spec/testvectors/en_crypto_v1_2.json), and a
 * cross-check of the JCE path against Bouncy Castle's independent implementation.
 */
class TokenDeriverTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final TemporaryExposureKey TEK =
      TemporaryExposureKey.of(HEX.parseHex("75c734c6dd1a782de7a965da5eb93125"));
  private static final int ENIN_0 = 2642976;

  private final TokenDeriver deriver = TokenDeriver.create();

  @Test
  void rpikMatchesPublishedVector() {
    assertEquals("185ad91db69ec7dd048960f1f3ba6175", HEX.formatHex(deriver.rpik(TEK)));
  }

  @Test
  void aemkMatchesPublishedVector() {
    assertEquals("d57c46af7a1d83965b9bed8bd152936a", HEX.formatHex(deriver.aemk(TEK)));
  }

  @Test
  void paddedDataMatchesPublishedVector() {
    assertEquals(
        "454e2d52504900000000000020542800", HEX.formatHex(TokenDeriver.paddedData(ENIN_0)));
  }

  @Test
  void rpiOfFirstIntervalMatchesPublishedVector() {
    assertEquals("8be6cd371c5c891604bfbe49df845096", HEX.formatHex(deriver.rpi(TEK, ENIN_0)));
  }

  @Test
  void aemOfFirstIntervalMatchesPublishedVector() {
    byte[] rpi = deriver.rpi(TEK, ENIN_0);
    byte[] aem = deriver.aem(TEK, rpi, HEX.parseHex("40080000"));
    assertEquals("72033874", HEX.formatHex(aem));
  }

  @Test
  void bulkDerivationEqualsOneByOne() {
    byte[] bulk = new byte[144 * 16];
    deriver.deriveRpis(TEK.toByteArray(), ENIN_0, 144, bulk, 0);
    for (int i = 0; i < 144; i++) {
      byte[] one = deriver.rpi(TEK, ENIN_0 + i);
      assertArrayEquals(one, Arrays.copyOfRange(bulk, i * 16, i * 16 + 16), "interval " + i);
    }
    assertEquals(
        "8be6cd371c5c891604bfbe49df845096", HEX.formatHex(Arrays.copyOfRange(bulk, 0, 16)));
  }

  @Test
  void rejectsWrongKeyLengthAndCount() {
    byte[] out = new byte[145 * 16];
    IllegalArgumentException shortKey =
        assertThrows(
            IllegalArgumentException.class,
            () -> deriver.deriveRpis(new byte[15], ENIN_0, 1, out, 0));
    assertEquals("a temporary exposure key is 16 bytes", shortKey.getMessage());
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> deriver.deriveRpis(TEK.toByteArray(), ENIN_0, 145, out, 0));
    assertEquals("count must be in 1..144, got 145", tooMany.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> deriver.deriveRpis(TEK.toByteArray(), ENIN_0, 0, out, 0));
  }

  @Property(tries = 200)
  void jceAndBouncyCastleAgree(
      @ForAll @Size(16) byte[] tek,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 200) int start,
      @ForAll @IntRange(min = 1, max = 144) int count) {
    byte[] jce = new byte[count * 16];
    deriver.deriveRpis(tek, start, count, jce, 0);
    assertArrayEquals(ReferenceTokenDeriver.rpis(tek, start, count), jce);
  }

  @Test
  void keyIsRedactedInToString() {
    assertEquals("TemporaryExposureKey[redacted]", TEK.toString());
  }
}
