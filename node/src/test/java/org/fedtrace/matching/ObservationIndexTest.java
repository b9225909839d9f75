package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.crypto.TokenDeriver;
import org.junit.jupiter.api.Test;

class ObservationIndexTest {
  private static final byte[] A = token(1);
  private static final byte[] B = token(2);
  private static final byte[] ZERO = new byte[16];

  @Test
  void keepsEveryObservationOfADuplicatedTokenNewestFirst() {
    ObservationIndex index = ObservationIndex.create(0, 1);
    index.add(A, 100, 60, 50, 7);
    index.add(B, 100, 60, 50, 7);
    index.add(A, 101, 120, 60, 8);
    index.add(A, 102, 180, 70, 7);
    assertEquals(4, index.size());
    assertEquals(2, index.distinctTokens());
    assertEquals(List.of(102, 101, 100), intervalsOf(index, A));
    assertEquals(List.of(100), intervalsOf(index, B));
    assertEquals(List.of(), intervalsOf(index, token(3)));
  }

  @Test
  void holdsTheAllZeroToken() {
    ObservationIndex index = ObservationIndex.create(0, 1);
    index.add(ZERO, 100, 60, 50, 7);
    index.add(ZERO, 101, 60, 50, 8);
    assertEquals(1, index.distinctTokens());
    assertEquals(List.of(101, 100), intervalsOf(index, ZERO));
    List<String> seen = new ArrayList<>();
    index.forEachToken((hi, lo) -> seen.add(hi + "/" + lo));
    assertEquals(List.of("0/0"), seen);
  }

  @Test
  void growsFromEmptyAndFindsEveryToken() {
    ObservationIndex index = ObservationIndex.create(0, 3);
    for (int i = 0; i < 10_000; i++) {
      index.add(token(i), 1000 + i % 7, i % 600, i % 256, i);
    }
    assertEquals(10_000, index.distinctTokens());
    for (int i = 0; i < 10_000; i++) {
      int o = index.headOf(Tokens.high(token(i), 0), Tokens.low(token(i), 0));
      assertEquals(i, index.device(o));
      assertEquals(1000 + i % 7, index.interval(o));
      assertEquals(i % 600, index.durationSeconds(o));
      assertEquals(i % 256, index.attenuationDb(o));
    }
  }

  @Test
  void dropsObservationsBeforeTheRetentionHorizon() {
    ObservationIndex index = ObservationIndex.create(0, 5);
    for (int i = 0; i < 3_000; i++) {
      index.add(token(i % 1_000), 100 + i / 1_000, 60, 50, i);
    }
    assertEquals(0, index.dropObservedBefore(100));
    assertEquals(1_000, index.dropObservedBefore(101));
    assertEquals(2_000, index.size());
    assertEquals(1_000, index.distinctTokens());
    assertEquals(List.of(102, 101), intervalsOf(index, token(5)));
    assertEquals(2_000, index.dropObservedBefore(Integer.MAX_VALUE));
    assertEquals(0, index.size());
    assertEquals(0, index.distinctTokens());
    assertEquals(List.of(), intervalsOf(index, token(5)));
    index.add(token(5), 200, 60, 50, 1);
    assertEquals(List.of(200), intervalsOf(index, token(5)));
  }

  @Test
  void afterDroppingMatchesEqualTheReferenceOnTheSurvivors() {
    KeyBatch keys = TestKeys.random(40, 4);
    List<ReferenceMatcher.Observation> all = new ArrayList<>();
    TokenDeriver deriver = TokenDeriver.create();
    for (int k = 0; k < keys.size(); k++) {
      for (int offset = 0; offset < keys.rollingPeriod(k); offset += 40) {
        byte[] rpi = new byte[16];
        int enin = keys.rollingStart(k) + offset;
        deriver.deriveRpis(keys.keyData(k), enin, 1, rpi, 0);
        all.add(new ReferenceMatcher.Observation(rpi, enin, 300, 50, k % 3));
        all.add(new ReferenceMatcher.Observation(rpi, enin + 1, 300, 60, k % 5));
        all.add(new ReferenceMatcher.Observation(token(k * 1000 + offset), enin, 60, 50, 0));
      }
    }
    ObservationIndex index = ObservationIndex.create(0, 9);
    for (ReferenceMatcher.Observation o : all) {
      index.add(o.token(), o.interval(), o.durationSeconds(), o.attenuationDb(), o.device());
    }
    int horizon = TestKeys.FIRST_INTERVAL + 6 * 144;
    List<ReferenceMatcher.Observation> kept =
        all.stream().filter(o -> o.interval() >= horizon).toList();
    assertEquals(all.size() - kept.size(), index.dropObservedBefore(horizon));
    try (Matcher m = Matcher.create(1)) {
      List<Exposure> expected = ReferenceMatcher.match(kept, keys, RiskModel.DEFAULT);
      assertEquals(expected, m.match(index, keys).exposures());
      assertTrue(expected.size() > 10);
    }
  }

  @Test
  void reportsTheBytesOfItsArrays() {
    ObservationIndex index = ObservationIndex.create(1_000_000, 1);
    // 2^21 slots x (16 token + 4 head + 1 filter) bytes + 10^6 x 15 bytes of observation columns
    assertEquals((1L << 21) * 21 + 15_000_000L, index.retainedBytes());
  }

  @Test
  void refusesValuesOutOfRange() {
    ObservationIndex index = ObservationIndex.create(1, 1);
    assertEquals(
        "an RPI is 16 bytes, got 15",
        assertThrows(IllegalArgumentException.class, () -> index.add(new byte[15], 1, 1, 1, 1))
            .getMessage());
    assertEquals(
        "interval must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> index.add(A, -1, 1, 1, 1)).getMessage());
    assertEquals(
        "duration must be in 0..32767 seconds, got 32768",
        assertThrows(IllegalArgumentException.class, () -> index.add(A, 1, 32768, 1, 1))
            .getMessage());
    assertEquals(
        "attenuation must be in 0..255 dB, got 256",
        assertThrows(IllegalArgumentException.class, () -> index.add(A, 1, 1, 256, 1))
            .getMessage());
    assertEquals(
        "expected observations must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> ObservationIndex.create(-1))
            .getMessage());
    assertEquals(0, index.size());
  }

  private static byte[] token(int i) {
    byte[] t = new byte[16];
    Tokens.write(0x0123_4567_89ABL * (i + 1), i, t, 0);
    return t;
  }

  private static List<Integer> intervalsOf(ObservationIndex index, byte[] token) {
    List<Integer> out = new ArrayList<>();
    for (int o = index.headOf(Tokens.high(token, 0), Tokens.low(token, 0));
        o != ObservationIndex.NONE;
        o = index.nextOf(o)) {
      out.add(index.interval(o));
    }
    return out;
  }
}
