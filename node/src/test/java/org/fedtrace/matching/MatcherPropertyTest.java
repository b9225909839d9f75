package org.fedtrace.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.fedtrace.crypto.ReferenceTokenDeriver;

/**
 * The engine against {@link ReferenceMatcher} on random keys and observations: observations of a
 * key's first, middle and last RPI and of the RPIs just outside its rolling period, heard up to 14
 * intervals before its window's start and after its end (so exactly ±12 in and ±13 out occur
 * often), short rolling periods, duplicates of one RPI by one and by several devices, random tokens
 * (including the all-zero one), and an index that grows from empty.
 */
class MatcherPropertyTest {
  private static final int BASE = 2_700_000;

  // Chunks of 1 or 2 keys and one partition per filter word: every path on small data.
  private static final Matcher SINGLE = Matcher.forTesting(1, ProbeMode.DIRECT, 2, 0);
  private static final Matcher PARALLEL = Matcher.forTesting(2, ProbeMode.PARTITIONED, 1, 0);

  @AfterContainer
  static void stopThreads() {
    PARALLEL.close();
  }

  @Property(tries = 300)
  void engineAgreesWithReference(@ForAll("scenarios") Scenario s) {
    List<Exposure> expected = ReferenceMatcher.match(s.observations, s.keys, RiskModel.DEFAULT);
    MatchResult single = SINGLE.match(s.index, s.keys);
    assertEquals(expected, single.exposures());
    assertEquals(
        expected.stream().mapToLong(Exposure::observations).sum(), single.matchedObservations());
    assertEquals(single, PARALLEL.match(s.index, s.keys));

    Statistics.label("exposures").collect(expected.isEmpty() ? "none" : "some");
    Statistics.label("heard exactly 12 intervals outside the period").collect(s.edgeIn);
    Statistics.label("heard exactly 13 intervals outside the period").collect(s.edgeOut);
    Statistics.label("short rolling period").collect(s.shortPeriod);
    Statistics.label("duplicate tokens").collect(s.index.size() > s.index.distinctTokens());
    Statistics.label("exposures").coverage(c -> c.check("some").percentage(p -> p > 30));
    for (String edge : List.of("12", "13")) {
      Statistics.label("heard exactly " + edge + " intervals outside the period")
          .coverage(c -> c.check(true).percentage(p -> p > 10));
    }
    Statistics.label("short rolling period").coverage(c -> c.check(true).percentage(p -> p > 30));
    Statistics.label("duplicate tokens").coverage(c -> c.check(true).percentage(p -> p > 30));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<KeySpec> key =
        Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(0, 3 * 144),
                Arbitraries.oneOf(Arbitraries.just(144), Arbitraries.integers().between(1, 144)),
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(-15, 14))
            .as(KeySpec::new);
    Arbitrary<ObservationSpec> observation =
        Combinators.combine(
                Arbitraries.integers().between(-1, 5),
                Arbitraries.of(RpiChoice.class),
                Arbitraries.of(Anchor.class),
                Arbitraries.oneOf(
                    Arbitraries.integers().between(-14, 14), Arbitraries.of(-13, -12, 12, 13)),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 900),
                Arbitraries.integers().between(40, 75))
            .as(ObservationSpec::new);
    return Combinators.combine(
            key.list().ofMinSize(1).ofMaxSize(6),
            observation.list().ofMaxSize(40),
            Arbitraries.longs())
        .as(Scenario::new);
  }

  /** A key: bytes, start offset from {@link #BASE}, period, TRL, DSOS (-15 = absent). */
  record KeySpec(byte[] key, int startOffset, int period, int trl, int dsos) {}

  /** Which RPI an observation is of. */
  enum RpiChoice {
    FIRST,
    MIDDLE,
    LAST,
    /** The interval after the rolling period: never derived, so never matched. */
    AFTER_PERIOD,
    /** The interval before the rolling start: never derived. */
    BEFORE_START
  }

  /** What {@code delta} is relative to: the first or the last interval of the key's period. */
  enum Anchor {
    START,
    END
  }

  /** An observation of an RPI of key {@code key % keys} (or a random token when -1). */
  record ObservationSpec(
      int key, RpiChoice rpi, Anchor anchor, int delta, int device, int duration, int att) {}

  /** Keys, the observations the reference sees, and the index holding the same. */
  static final class Scenario {
    final KeyBatch keys;
    final List<ReferenceMatcher.Observation> observations = new ArrayList<>();
    final ObservationIndex index;
    boolean edgeIn;
    boolean edgeOut;
    boolean shortPeriod;
    private final String description;

    Scenario(List<KeySpec> keySpecs, List<ObservationSpec> obsSpecs, long seed) {
      description = "keys " + keySpecs + ", observations " + obsSpecs + ", seed " + seed;
      KeyBatch.Builder b = KeyBatch.builder(0);
      for (KeySpec k : keySpecs) {
        if (k.dsos() == -15) {
          b.add(k.key(), BASE + k.startOffset(), k.period(), k.trl());
        } else {
          b.add(k.key(), BASE + k.startOffset(), k.period(), k.trl(), k.dsos());
        }
      }
      keys = b.build();
      shortPeriod = keySpecs.stream().anyMatch(k -> k.period() < 144);
      index = ObservationIndex.create(0, seed);
      for (ObservationSpec o : obsSpecs) {
        byte[] token;
        int interval;
        if (o.key() < 0) {
          token = new byte[16];
          // a token of no key; with duration 0 and delta 0 it is the all-zero token
          token[0] = (byte) o.duration();
          token[15] = (byte) o.delta();
          interval = BASE + o.duration();
        } else {
          int k = o.key() % keys.size();
          int start = keys.rollingStart(k);
          int period = keys.rollingPeriod(k);
          int enin =
              switch (o.rpi()) {
                case FIRST -> start;
                case MIDDLE -> start + period / 2;
                case LAST -> start + period - 1;
                case AFTER_PERIOD -> start + period;
                case BEFORE_START -> start - 1;
              };
          token = ReferenceTokenDeriver.rpis(keys.keyData(k), enin, 1);
          interval = (o.anchor() == Anchor.START ? start : start + period - 1) + o.delta();
          int outward = o.anchor() == Anchor.START ? -o.delta() : o.delta();
          boolean derived = o.rpi() != RpiChoice.AFTER_PERIOD && o.rpi() != RpiChoice.BEFORE_START;
          edgeIn |= derived && outward == 12;
          edgeOut |= derived && outward == 13;
        }
        observations.add(
            new ReferenceMatcher.Observation(token, interval, o.duration(), o.att(), o.device()));
        index.add(token, interval, o.duration(), o.att(), o.device());
      }
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
