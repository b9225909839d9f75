package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.sim.devices.Devices;
import org.fedtrace.sim.devices.Sightings;
import org.fedtrace.sim.devices.Teks;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.matching.Exposure;
import org.fedtrace.sim.matching.ExposureMatcher;
import org.fedtrace.sim.matching.ObservationIndex;
import org.fedtrace.sim.matching.Observations;
import org.fedtrace.sim.matching.ReferenceMatcher;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Encounters;
import org.fedtrace.sim.population.Households;
import org.fedtrace.sim.population.Mobility;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.fedtrace.sim.truth.GroundTruth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The phones' matching over the compact log of what they heard finds exactly the exposures an index
 * of every RPI every phone heard finds: same people, keys, intervals, minutes and scores, in the
 * same order, for the engine and the reference matcher, with padding keys among the real ones and
 * after the retention window drops a day.
 */
class PhoneMatchingTest {
  private static final int DAYS = 3;
  private static final int DAY_ZERO_ENIN = 2_690_000 - 2_690_000 % 144;
  private static final Teks TEKS = new Teks(7);
  private static ExecutorService pool;
  private static Population population;
  private static GroundTruth truth;
  private static List<DayContacts> days;
  private static List<DiagnosisKey> keys;

  @BeforeAll
  static void simulate() throws Exception {
    pool = Executors.newFixedThreadPool(2);
    Scenario s = ScenarioLoader.parse(SmallScenarios.yaml(7, 4000, DAYS), "small.yaml");
    population = Population.create(s);
    Mobility mobility = new Mobility(s, population);
    Encounters encounters = new Encounters(s, population);
    Households households = new Households(s, population);
    days = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      DayContacts all = encounters.meet(mobility.plan(d));
      households.meet(all, mobility);
      all.trim();
      days.add(all);
    }
    truth = new GroundTruth();
    keys = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int a = 0; a < population.size(); a += 37) { // about a hundred uploaders
      for (int d = 0; d < DAYS; d++) {
        byte[] tek = TEKS.tek(a, d);
        truth.addUpload(a, 24 * DAYS, Map.of(d, ByteString.copyFrom(tek)));
        keys.add(key(tek, d, 1 + r.nextInt(8)));
        byte[] padding = new byte[16];
        r.nextBytes(padding);
        keys.add(key(padding, d, 1 + r.nextInt(8)));
      }
    }
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  private static DiagnosisKey key(byte[] data, int day, int transmissionRisk) {
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber(DAY_ZERO_ENIN + 144 * day)
        .setRollingPeriod(144)
        .setTransmissionRiskLevel(transmissionRisk)
        .setDaysSinceOnsetOfSymptoms(day - 2)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .build();
  }

  @Test
  void engineFindsTheSameExposuresAsAFullIndex() {
    compare(new EngineMatcher(), Integer.MIN_VALUE);
  }

  @Test
  void referenceMatcherFindsTheSameExposuresAsAFullIndex() {
    compare(new ReferenceMatcher(), Integer.MIN_VALUE);
  }

  @Test
  void retentionDropsTheSameObservations() {
    // keeps day 2 and day 1 from 16:40 on, drops day 0
    compare(new EngineMatcher(), DAY_ZERO_ENIN + 144 + 100);
  }

  /** The rows of {@code s} by the observer's home country, in order (one list per country). */
  private static List<Observations> byCountry(Sightings s) {
    List<Observations> out = new ArrayList<>();
    for (int c = 0; c < population.countries(); c++) {
      int n = 0;
      for (int i = 0; i < s.size(); i++) {
        n += population.home(s.observer(i)) == c ? 1 : 0;
      }
      byte[] rpis = new byte[16 * n];
      int[] intervals = new int[n];
      int[] agents = new int[n];
      byte[] minutes = new byte[n];
      byte[] db = new byte[n];
      int at = 0;
      for (int i = 0; i < s.size(); i++) {
        if (population.home(s.observer(i)) == c) {
          s.rpi(i).copyTo(rpis, 16 * at);
          intervals[at] = s.interval(i);
          agents[at] = s.observer(i);
          minutes[at] = (byte) s.minutes(i);
          db[at] = (byte) s.attenuationDb(i);
          at++;
        }
      }
      assertTrue(n > 0, "phones of every country heard someone");
      out.add(new Observations(n, rpis, intervals, agents, minutes, db));
    }
    return out;
  }

  private static void compare(ExposureMatcher matcher, int dropBefore) {
    Devices devices = new Devices(population, TEKS, 7, 5, DAY_ZERO_ENIN, pool, 2);
    PhoneMatching phones = new PhoneMatching(population, TEKS, truth, matcher);
    List<ObservationIndex> full = new ArrayList<>();
    population.codes().forEach(c -> full.add(matcher.newIndex(c)));
    long[] rows = new long[days.size()];
    for (DayContacts contacts : days) {
      Sightings heard = devices.sightings(contacts);
      List<Observations> parts = byCountry(heard);
      for (int c = 0; c < parts.size(); c++) {
        full.get(c).add(parts.get(c));
      }
      rows[contacts.day()] = heard.size();
      phones.log().add(devices.log(contacts));
    }
    assertEquals(rows[0] + rows[1] + rows[2], phones.log().size(), "a row per observation");
    if (dropBefore != Integer.MIN_VALUE) {
      full.forEach(i -> i.dropBefore(dropBefore));
      phones.log().dropBefore(dropBefore);
    }
    if (dropBefore != Integer.MIN_VALUE) {
      assertEquals(rows[1] + rows[2], phones.log().size(), "day 0 released, day 1 kept");
      assertTrue(
          full.stream().mapToLong(ObservationIndex::size).sum() < rows[1] + rows[2],
          "the cut-off falls inside day 1");
    }
    int exposures = 0;
    for (int c = 0; c < population.countries(); c++) {
      List<Exposure> expected = matcher.match(full.get(c), keys);
      List<Exposure> actual = phones.match(c, keys);
      assertEquals(expected, actual, "exposures in " + population.code(c));
      exposures += expected.size();
    }
    assertTrue(exposures > 50, "the uploaders were heard: " + exposures + " exposures");
  }
}
