package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.counterfactual.Scheme;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.federation.NodeFederation;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.report.ReportJson;
import org.fedtrace.sim.report.ReportWriter;
import org.fedtrace.sim.report.charts.Charts;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioException;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end runs of a small scenario through real nodes (gRPC over mutual TLS on loopback, SQLite
 * stores, uploads with health-authority authorizations), checked for the report's fields, their
 * sanity and their repeatability.
 */
class SimulationTest {
  static final String SMALL = SmallScenarios.yaml(11, 6000, 8);

  private static final String FEDERATION = "padding_min_keys: 64, batch_max_age_minutes: 120";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REQUIRED =
      List.of(
          "/seed",
          "/agents",
          "/days",
          "/countries",
          "/topology",
          "/matching",
          "/throughput/rpis_matched_per_second",
          "/throughput/keys_exchanged_per_second",
          "/throughput/wall_seconds",
          "/accuracy/true_exposures",
          "/accuracy/notified",
          "/accuracy/true_positives",
          "/accuracy/precision",
          "/accuracy/recall",
          "/latency/cross_border_notification_p50_hours",
          "/latency/cross_border_notification_p99_hours",
          "/traffic/bytes_per_node_per_day",
          "/privacy/non_diagnosed_keys_shared",
          "/privacy/uploader_anonymity_set_min",
          "/privacy/tek_linkage_advantage",
          "/privacy/sniffer_tracking_success",
          "/privacy/operator_learns_exposures",
          "/efficacy/schemes/none/infections",
          "/efficacy/schemes/fedtrace/infections_averted",
          "/efficacy/schemes/apps_national/infections_averted",
          "/efficacy/schemes/camera/false_matches",
          "/efficacy/camera_false_matches_sweep",
          "/efficacy/fedtrace_expected_false_matches");

  private static Scenario small;
  private static Outcome outcome;
  private static Report report;

  /** The small scenario with more federation settings and more fields. */
  static Scenario scenario(String federation, String extra) throws ScenarioException {
    String yaml = SMALL + "federation: {" + FEDERATION + federation + "}\n" + extra;
    return ScenarioLoader.parse(yaml, "small.yaml");
  }

  static Report run(Scenario s) {
    Outcome o = new Simulator(s, NodeFederation::new, new EngineMatcher(), p -> {}, 2).run();
    return Measurement.measure(o, "small.yaml");
  }

  /**
   * The report as JSON without the wall-clock figures, which differ between runs, without the
   * traffic, which over real connections includes the odd re-delivery after a reconnect, and
   * without the bytes phones download, since an ECDSA signature's DER length varies by a byte.
   */
  static JsonNode figures(Report r, Scenario s) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(ReportJson.write(r, s));
    n.remove("throughput");
    n.remove("traffic");
    if (n.has("downloads")) {
      ((ObjectNode) n.get("downloads")).remove("bytes_per_phone_per_day");
    }
    ((ObjectNode) n.get("per_day")).remove("rpis_matched_per_second");
    ((ObjectNode) n.get("per_day")).remove("keys_exchanged_per_second");
    return n;
  }

  @BeforeAll
  static void runTheSmallScenario() throws ScenarioException {
    small = scenario("", "");
    outcome = new Simulator(small, NodeFederation::new, new EngineMatcher(), p -> {}, 2).run();
    report = Measurement.measure(outcome, "small.yaml");
  }

  @Test
  void theReportHasEveryRequiredFieldAndTheFiles(@TempDir Path dir) throws Exception {
    Path md = ReportWriter.write(report, small, dir);

    JsonNode json = JSON.readTree(dir.resolve("report.json").toFile());
    for (String field : REQUIRED) {
      assertTrue(!json.at(field).isMissingNode(), "report.json lacks " + field);
      if (field.matches("/(accuracy|privacy)/.*")) {
        assertTrue(
            !json.at("/baseline_central" + field).isMissingNode(),
            "baseline_central lacks " + field);
      }
    }
    assertEquals(11, json.at("/seed").asLong());
    assertEquals(List.of("BE", "NL", "LU"), JSON.convertValue(json.at("/countries"), List.class));
    assertTrue(Files.readString(md).contains("## Definitions"));
    assertEquals(ScenarioLoader.parse(Files.readString(dir.resolve("scenario.yaml")), "s"), small);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    for (String chart : Charts.FILES) {
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve(chart)), 4);
      assertArrayEquals(png, head, chart);
    }
  }

  /**
   * The statistics' error against ε (transparency.md §16): every family at every ε of the sweep,
   * the measured mean absolute error within five standard errors (about 5/√n of itself) of the
   * noise's E|Z|, and the relative error falling as ε grows; written to report.json and its chart.
   */
  @Test
  void reportsTheStatisticsErrorAgainstEpsilon(@TempDir Path dir) throws Exception {
    org.fedtrace.sim.report.DpError e = report.dpStatistics();
    assertEquals(20, e.rows().size());
    java.util.Map<String, Double> last = new java.util.HashMap<>();
    for (org.fedtrace.sim.report.DpError.Row r : e.rows()) {
      long n = r.cells() * e.repetitions();
      assertTrue(
          Math.abs(r.meanAbsoluteError() - r.expectedAbsoluteError())
              <= 5 * r.expectedAbsoluteError() / Math.sqrt(n),
          r.toString());
      if (r.trueTotal() > 0) {
        Double before = last.put(r.family(), r.relativeError());
        assertTrue(before == null || r.relativeError() < before, r + " after " + before);
      }
    }
    ReportWriter.write(report, small, dir);
    JsonNode json = JSON.readTree(dir.resolve("report.json").toFile());
    assertEquals(20, json.at("/dp_statistics/sweep").size());
    assertEquals("0.1", json.at("/dp_statistics/sweep/0/epsilon").asText());
    assertTrue(Files.size(dir.resolve(org.fedtrace.sim.report.DpErrorChart.FILE)) > 0);
  }

  @Test
  void phonesDownloadEveryHourlyFileAndEveryUploadedKeyIsExportedNoEarlierThanBatched() {
    Report.Downloads d = report.downloads();
    assertNotNull(d, "a device-mode run through real nodes writes exports");
    assertEquals(4, d.fetchIntervalHours());
    assertEquals("exports", d.phonesMatch());
    // the combined series has a file every hour, each of at least 1,000 keys of 16 random bytes;
    // a daily fetch sees at least every file of the hours before its last day
    int days = small.days();
    assertTrue(
        d.bytesPerPhonePerDay() >= 16_000.0 * 24 * (days - 1) / days,
        "bytes per phone per day " + d.bytesPerPhonePerDay());
    assertEquals(0, d.keysNotExported());
    assertEquals(report.truth().keysUploaded(), d.latency().keys());
    assertTrue(d.latency().exportP50Hours() >= d.latency().batchP50Hours());
    assertTrue(d.latency().exportP99Hours() >= d.latency().batchP99Hours());
    assertTrue(d.latency().batchP50Hours() >= 0);
  }

  @Test
  void phonesMatchingTheExportFilesNotifyTheSamePeopleAsMatchingTheBatchesOnlyLater()
      throws ScenarioException {
    // nobody reacts to a notification, so the epidemic is the same whichever way phones match;
    // nobody declines, since only the exports carry domestic-only keys (SharingSimulationTest)
    String calm =
        "behaviour: {quarantine_compliance: 0, test_notified_share: 0}\n"
            + "baselines: {counterfactuals: false}\n"
            + "privacy: {decline_federation_share: 0}\n";
    Outcome files =
        outcome(
            scenario("", calm + "matching: {device_source: exports, download_interval_hours: 6}"));
    Outcome batches =
        outcome(scenario("", calm + "matching: {device_source: batches, device_poll_hours: 1}"));

    assertEquals("exports", files.downloads().phonesMatch());
    assertEquals("batches", batches.downloads().phonesMatch());
    assertEquals(0, files.downloads().keysNotExported());
    Map<Long, Integer> byFiles = pairs(files.notifications());
    Map<Long, Integer> byBatches = pairs(batches.notifications());
    assertTrue(byBatches.size() > 20, "notified pairs " + byBatches.size());
    // the same person notified of the same index case: padding keys and the embargo change when,
    // never whom
    assertEquals(byBatches.keySet(), byFiles.keySet());
    long later = 0;
    for (Map.Entry<Long, Integer> e : byBatches.entrySet()) {
      // a file lists a key no earlier than its batch reaches the node, and an hourly poll of the
      // batches sees it within the hour
      assertTrue(byFiles.get(e.getKey()) >= e.getValue() - 1, "pair " + e.getKey());
      later += byFiles.get(e.getKey()) - e.getValue();
    }
    assertTrue(later > 0, "the export files notify later in sum");
    // phones matching files also derive the padding keys' RPIs
    assertTrue(rpis(files) > rpis(batches), rpis(files) + " vs " + rpis(batches));
  }

  private static Outcome outcome(Scenario s) {
    return new Simulator(s, NodeFederation::new, new EngineMatcher(), p -> {}, 2).run();
  }

  /** Each (notified person, index case) pair, with the hour of the notification. */
  private static Map<Long, Integer> pairs(Notifications n) {
    Map<Long, Integer> out = new HashMap<>();
    n.forEachPair((agent, index, hour) -> out.put(((long) agent << 32) | index, hour));
    return out;
  }

  private static long rpis(Outcome o) {
    return o.samples().stream().mapToLong(DaySample::rpisMatched).sum();
  }

  @Test
  void accuracyIsSane() {
    for (Report.Scheme s : List.of(report.main(), report.central())) {
      double precision = s.accuracy().precision();
      double recall = s.accuracy().recall();
      assertTrue(precision > 0 && precision <= 1, "precision " + precision);
      assertTrue(recall > 0 && recall <= 1, "recall " + recall);
    }
    assertTrue(report.main().latency().crossBorderNotifications() > 0);
    assertTrue(
        report.main().latency().crossBorderP99Hours()
            >= report.main().latency().crossBorderP50Hours());
    assertTrue(report.central().accuracy().precision() < report.main().accuracy().precision());
  }

  @Test
  void onlyDiagnosedPeoplesKeysLeaveHomeButTheCentralSchemeShipsEverybodys() {
    assertEquals(0, report.main().privacy().nonDiagnosedKeysShared());
    assertTrue(report.central().privacy().nonDiagnosedKeysShared() > 5 * small.agents());
    assertEquals(
        report.truth().uploaders() - report.sharing().declinedUploads(),
        report.main().privacy().peopleWhoseDataLeftHome(),
        "uploaders who federated");
    assertEquals(1.0, report.central().privacy().snifferTrackingSuccess());
    assertEquals(1, report.central().privacy().uploaderAnonymitySetMin());
    assertTrue(report.main().privacy().uploaderAnonymitySetMin() >= 1);
    assertEquals(0, report.main().privacy().operatorLearnsExposures());
    assertTrue(
        report.central().privacy().tekLinkageAdvantage()
            > report.main().privacy().tekLinkageAdvantage());
  }

  @Test
  void noPublishedBatchIsSmallerThanThePaddingMinimumAndPaddingNeverMatches() {
    assertTrue(outcome.published().size() > 0);
    for (DiagnosisKeyBatch b : outcome.published()) {
      assertTrue(b.getKeysCount() >= 64, "a batch of " + b.getKeysCount() + " keys");
    }
    assertEquals(64, report.truth().smallestBatchKeys());
    assertTrue(report.truth().paddingKeys() > 0);
    assertEquals(0, report.truth().falseMatchesOnPadding());
  }

  @Test
  void theSameSeedGivesTheSameFigures() throws IOException {
    Report again = run(small);

    assertEquals(figures(report, small), figures(again, small));
    JsonNode schemes = figures(again, small).at("/efficacy/schemes");
    assertEquals(Scheme.values().length, schemes.size());
    assertEquals(figures(report, small).at("/efficacy"), figures(again, small).at("/efficacy"));
  }

  @Test
  void withoutCounterfactualsTheRunIsTheSameAndTheReportHasNoEfficacy(@TempDir Path dir)
      throws Exception {
    Scenario alone = scenario("", "baselines: {counterfactuals: false}\n");
    Report r = run(alone);
    ReportWriter.write(r, alone, dir);

    assertEquals(report.main(), r.main());
    assertTrue(JSON.readTree(dir.resolve("report.json").toFile()).at("/efficacy").isMissingNode());
    assertEquals(Charts.FILES.subList(0, 4), Charts.files(r));
    for (String chart : Charts.files(r)) {
      assertTrue(Files.exists(dir.resolve(chart)), chart);
    }
  }

  @Test
  void everySchemeIsMeasuredAndTracingAvertsInfections() {
    List<SchemeOutcome> schemes = report.efficacy().schemes();
    assertEquals(List.of(Scheme.values()), schemes.stream().map(SchemeOutcome::scheme).toList());
    SchemeOutcome none = schemes.get(Scheme.NONE.ordinal());
    assertTrue(none.infections() > 0);
    assertEquals(0, none.notified());
    for (SchemeOutcome o : schemes) {
      assertEquals(none.infections() - o.infections(), o.averted(), o.scheme().label());
      assertTrue(o.quarantinedWithoutCause() <= o.quarantined(), o.scheme().label());
      if (o.scheme() != Scheme.NONE) {
        assertTrue(o.notified() > 0 && o.indexCases() > 0, o.scheme().label());
      }
    }
    SchemeOutcome central = schemes.get(Scheme.CENTRAL.ordinal());
    assertTrue(central.averted() > 0, "central tracking quarantines nearly everybody");
    assertTrue(schemes.get(Scheme.CAMERA.ordinal()).falseMatches() > 0);
  }

  @Test
  void anotherSeedGivesOtherFigures() throws Exception {
    Scenario other =
        ScenarioLoader.parse(
            SmallScenarios.yaml(12, 6000, 8) + "federation: {" + FEDERATION + "}\n", "s.yaml");

    assertNotEquals(figures(report, small), figures(run(other), other));
  }

  @Test
  void theTopologyChangesTrafficOnly() throws Exception {
    Scenario hub = scenario(", topology: hub, hub: LU", "");
    Report r = run(hub);

    assertEquals(report.main(), r.main());
    assertNotEquals(report.traffic(), r.traffic());
  }

  @Test
  void theCentralSchemeRunsNoFederation() throws Exception {
    Scenario central = scenario("", "token_scheme: central\n");
    Report r = run(central);

    assertEquals(0, r.truth().batchesPublished());
    assertEquals(r.central(), r.main());
    assertEquals(0, r.throughput().rpisMatched());
    // the counterfactual worlds do not depend on the main run: only fedtrace's row differs
    for (Scheme scheme : Scheme.values()) {
      SchemeOutcome here = r.efficacy().schemes().get(scheme.ordinal());
      SchemeOutcome there = report.efficacy().schemes().get(scheme.ordinal());
      if (scheme == Scheme.FEDTRACE) {
        assertEquals(0, here.notified());
      } else {
        assertEquals(
            List.of(there.infections(), there.notified(), there.quarantined()),
            List.of(here.infections(), here.notified(), here.quarantined()),
            scheme.label());
        assertArrayEquals(there.infectionsByDay(), here.infectionsByDay(), scheme.label());
      }
    }
  }
}
