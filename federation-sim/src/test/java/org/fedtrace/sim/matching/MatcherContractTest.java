package org.fedtrace.sim.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/**
 * What every matcher of the simulator must do; run against the reference matcher and the engine
 * ({@link ReferenceMatcherTest}, {@link EngineMatcherTest}), so both score and match alike.
 */
abstract class MatcherContractTest {
  private static final int START = 2_690_000;
  private static final byte[] TEK = new byte[16];

  static {
    TEK[0] = 42;
  }

  private final ExposureMatcher matcher = matcher();

  /** The matcher under test. */
  abstract ExposureMatcher matcher();

  /** Its message for a key whose rolling period is 0. */
  abstract String periodZeroMessage();

  private static DiagnosisKey key(int period, Integer dsos) {
    DiagnosisKey.Builder b =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(TEK))
            .setRollingStartIntervalNumber(START)
            .setRollingPeriod(period)
            .setTransmissionRiskLevel(8)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST);
    if (dsos != null) {
      b.setDaysSinceOnsetOfSymptoms(dsos);
    }
    return b.build();
  }

  /** Observation rows built one by one. */
  private static final class Rows {
    final List<byte[]> rpis = new ArrayList<>();
    final List<int[]> fields = new ArrayList<>();

    /** Device {@code agent} heard the key's RPI of {@code rpiInterval} during {@code heardAt}. */
    Rows heard(int agent, int rpiInterval, int heardAt, int minutes, int db) {
      byte[] rpi = new byte[16];
      TokenDeriver.create().deriveRpis(TEK, rpiInterval, 1, rpi, 0);
      rpis.add(rpi);
      fields.add(new int[] {heardAt, agent, minutes, db});
      return this;
    }

    Rows noise(int agent, int heardAt) {
      byte[] rpi = new byte[16];
      rpi[15] = (byte) agent;
      rpis.add(rpi);
      fields.add(new int[] {heardAt, agent, 5, 50});
      return this;
    }

    ObservationIndex index(ExposureMatcher m) {
      int n = rpis.size();
      byte[] all = new byte[16 * n];
      int[] intervals = new int[n];
      int[] agents = new int[n];
      byte[] minutes = new byte[n];
      byte[] db = new byte[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(rpis.get(i), 0, all, 16 * i, 16);
        intervals[i] = fields.get(i)[0];
        agents[i] = fields.get(i)[1];
        minutes[i] = (byte) fields.get(i)[2];
        db[i] = (byte) fields.get(i)[3];
      }
      ObservationIndex ix = m.newIndex("BE");
      ix.add(new Observations(n, all, intervals, agents, minutes, db));
      return ix;
    }
  }

  @Test
  void findsEachDeviceThatHeardTheKeyWithIntervalsMinutesAndRisk() {
    ObservationIndex ix =
        new Rows()
            .heard(7, START + 3, START + 3, 10, 50)
            .heard(7, START + 4, START + 4, 5, 60)
            .heard(7, START + 4, START + 4, 2, 80)
            .heard(9, START + 100, START + 100, 8, 70)
            .noise(11, START + 3)
            .index(matcher);

    List<Exposure> found = matcher.match(ix, List.of(key(144, 0)));

    assertEquals(2, found.size());
    Exposure seven = found.get(0);
    assertEquals(7, seven.agent());
    assertArrayEquals(new int[] {START + 3, START + 4}, seven.intervals());
    assertEquals(17, seven.durationMinutes());
    // weighted minutes (1 up to 55 dB, 0.5 up to 63 dB, 0 above) x TRL 8/8 x infectiousness 1
    assertEquals(10 * 1.0 + 5 * 0.5 + 2 * 0.0, seven.riskScore(), 1e-9);
    Exposure nine = found.get(1);
    assertEquals(9, nine.agent());
    assertEquals(8, nine.durationMinutes());
    assertEquals(0.0, nine.riskScore(), 1e-9);
  }

  @Test
  void infectiousnessWeighsTheScore() {
    ObservationIndex ix = new Rows().heard(1, START, START, 10, 40).index(matcher);

    assertEquals(10.0, matcher.match(ix, List.of(key(144, null))).get(0).riskScore(), 1e-9);
    assertEquals(10.0, matcher.match(ix, List.of(key(144, -2))).get(0).riskScore(), 1e-9);
    assertEquals(5.0, matcher.match(ix, List.of(key(144, -3))).get(0).riskScore(), 1e-9);
    assertEquals(5.0, matcher.match(ix, List.of(key(144, 6))).get(0).riskScore(), 1e-9);
  }

  @Test
  void theTwoHourToleranceHasSharpEdges() {
    int period = 10;
    ObservationIndex ix =
        new Rows()
            .heard(1, START, START - 12, 1, 40)
            .heard(2, START, START - 13, 1, 40)
            .heard(3, START + 9, START + period + 11, 1, 40)
            .heard(4, START + 9, START + period + 12, 1, 40)
            .index(matcher);

    List<Integer> agents =
        matcher.match(ix, List.of(key(period, 0))).stream().map(Exposure::agent).toList();

    assertEquals(List.of(1, 3), agents);
  }

  @Test
  void aShortRollingPeriodHasOnlyItsOwnRpis() {
    ObservationIndex ix =
        new Rows()
            .heard(1, START + 5, START + 5, 3, 40)
            .heard(2, START + 6, START + 6, 3, 40)
            .index(matcher);

    List<Integer> agents =
        matcher.match(ix, List.of(key(6, 0))).stream().map(Exposure::agent).toList();

    assertEquals(List.of(1), agents);
  }

  @Test
  void droppedDaysNoLongerMatch() {
    ObservationIndex ix = new Rows().heard(1, START, START, 3, 40).index(matcher);

    ix.dropBefore(START + 1);

    assertEquals(0, ix.size());
    assertEquals(List.of(), matcher.match(ix, List.of(key(144, 0))));
  }

  @Test
  void refusesAnImpossibleRollingPeriod() {
    ObservationIndex ix = new Rows().heard(1, START, START, 3, 40).index(matcher);

    assertEquals(
        periodZeroMessage(),
        assertThrows(IllegalArgumentException.class, () -> matcher.match(ix, List.of(key(0, 0))))
            .getMessage());
  }

  /** Agrees with a brute-force scan of every observation for any key window and observations. */
  @Property(tries = 60)
  void agreesWithBruteForce(
      @ForAll @IntRange(min = 1, max = 144) int period,
      @ForAll @IntRange(min = 0, max = 40) int count,
      @ForAll @IntRange(min = 0, max = 1 << 20) int salt) {
    Rows rows = new Rows();
    Map<Integer, Integer> expected = new HashMap<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(salt);
    for (int i = 0; i < count; i++) {
      int agent = r.nextInt(5);
      int rpiInterval = START - 20 + r.nextInt(200);
      int heardAt = rpiInterval + r.nextInt(31) - 15;
      rows.heard(agent, rpiInterval, heardAt, 1, 40);
      boolean derived = rpiInterval >= START && rpiInterval < START + period;
      boolean inWindow = heardAt >= START - 12 && heardAt < START + period + 12;
      if (derived && inWindow) {
        expected.merge(agent, 1, Integer::sum);
      }
    }
    Map<Integer, Integer> found = new HashMap<>();
    for (Exposure e : matcher.match(rows.index(matcher), List.of(key(period, 0)))) {
      found.put(e.agent(), e.durationMinutes());
    }
    assertEquals(expected, found);
  }
}
