package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final HexFormat HEX = HexFormat.of();

  // The published Exposure Notification v1.2 vector: TEK, its start, its first two RPIs.
  private static final byte[] TEK = HEX.parseHex("75c734c6dd1a782de7a965da5eb93125");
  private static final int START = 2642976;
  private static final byte[] RPI_0 = HEX.parseHex("8be6cd371c5c891604bfbe49df845096");
  private static final byte[] RPI_1 = HEX.parseHex("3c9a1de5dd6b02afa7fded7b570b3e56");

  @Test
  void findsThePublishedVectorsRpisAndScoresTheExposure() {
    ObservationIndex index = ObservationIndex.create(4, 7);
    index.add(RPI_0, START, 600, 50, 41); // near: 10 weighted minutes
    index.add(RPI_1, START + 1, 600, 60, 41); // medium: 5 weighted minutes
    index.add(RPI_1, START + 1, 300, 70, 42); // far: 0 weighted minutes
    KeyBatch keys = KeyBatch.builder(1).add(TEK, START, 144, 8, 0).build();
    try (Matcher m = Matcher.create(1)) {
      MatchResult r = m.match(index, keys);
      assertEquals(144, r.rpis());
      assertEquals(3, r.matchedObservations());
      List<Exposure> e = r.exposures();
      assertEquals(2, e.size());
      assertEquals(41, e.get(0).device());
      assertEquals(0, e.get(0).keyIndex());
      assertArrayEquals(new int[] {START, START + 1}, e.get(0).intervals());
      assertEquals(2, e.get(0).observations());
      assertEquals(1200, e.get(0).durationSeconds());
      assertEquals(15.0, e.get(0).weightedMinutes());
      assertEquals(15.0, e.get(0).riskScore());
      assertTrue(e.get(0).notified());
      assertEquals(42, e.get(1).device());
      assertEquals(0.0, e.get(1).riskScore());
      assertFalse(e.get(1).notified());
      assertEquals(1, r.notifiedCount());
    }
  }

  @Test
  void shortRollingPeriodDerivesOnlyItsIntervals() {
    ObservationIndex index = ObservationIndex.create(4, 7);
    index.add(RPI_0, START, 60, 50, 1);
    index.add(RPI_1, START + 1, 60, 50, 2); // RPI of the second interval: outside a period of 1
    KeyBatch keys = KeyBatch.builder(1).add(TEK, START, 1, 8).build();
    try (Matcher m = Matcher.create(1)) {
      MatchResult r = m.match(index, keys);
      assertEquals(1, r.rpis());
      assertEquals(1, r.matchedObservations());
      assertEquals(1, r.exposures().get(0).device());
    }
  }

  @Test
  void toleranceIsTwelveIntervalsOnEachSideOfTheWindow() {
    ObservationIndex index = ObservationIndex.create(8, 7);
    int last = START + 1; // period 2
    index.add(RPI_0, START - 12, 60, 50, 1);
    index.add(RPI_0, START - 13, 60, 50, 2);
    index.add(RPI_1, last + 12, 60, 50, 3);
    index.add(RPI_1, last + 13, 60, 50, 4);
    KeyBatch keys = KeyBatch.builder(1).add(TEK, START, 2, 8).build();
    try (Matcher m = Matcher.create(1)) {
      List<Exposure> e = m.match(index, keys).exposures();
      assertEquals(List.of(1, 3), e.stream().map(Exposure::device).toList());
    }
  }

  @Test
  void deriveOnlyAndProbeOnlyAgreeWithTheirPartsOfTheEngine() {
    KeyBatch keys = TestKeys.random(200, 5);
    try (Matcher one = Matcher.create(1);
        Matcher two = Matcher.create(2)) {
      assertEquals(one.deriveOnly(keys), two.deriveOnly(keys));
    }
    byte[] tokens = new byte[3 * 16];
    System.arraycopy(RPI_0, 0, tokens, 0, 16);
    System.arraycopy(RPI_1, 0, tokens, 32, 16);
    ObservationIndex index = ObservationIndex.create(2, 1);
    index.add(RPI_0, START, 60, 50, 1);
    index.add(RPI_0, START, 60, 50, 2);
    try (Matcher m = Matcher.create(1)) {
      assertEquals(1, m.probeOnly(index, tokens, 0, 3));
      assertEquals(0, m.probeOnly(index, tokens, 1, 2));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.probeOnly(index, tokens, 1, 3));
      assertEquals("tokens 1..4 do not fit in 48 bytes", e.getMessage());
    }
  }

  @Test
  void emptyBatchesAndEmptyIndexesMatchNothing() {
    // observations the published key would match, so an empty batch has something to miss
    ObservationIndex index = ObservationIndex.create(2, 7);
    index.add(RPI_0, START, 600, 50, 1);
    index.add(RPI_1, START + 1, 600, 50, 2);
    KeyBatch keys = TestKeys.random(10, 1);
    try (Matcher m = Matcher.create(2)) {
      assertEquals(new MatchResult(List.of(), 0, 0), m.match(index, KeyBatch.builder(0).build()));
      assertEquals(
          new MatchResult(List.of(), keys.rpiCount(), 0),
          m.match(ObservationIndex.create(0), keys));
    }
  }

  @Test
  void refusesZeroThreads() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Matcher.create(0));
    assertEquals("threads must be >= 1, got 0", e.getMessage());
  }
}
