package org.fedtrace.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fedtrace.node.Node;
import org.fedtrace.node.stats.Ledger;
import org.fedtrace.node.stats.StatisticsJob;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.stats.Epsilon;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics of a real node (spec transparency.md §16) released by its job and served on its
 * public endpoint: a day is released only after the delay (R18.2), once (R18.5), with a ledger
 * entry per release whose ε the resource's total equals (R18.6, R18.8), a health authority's row
 * only above the threshold (R18.3), and nothing beyond the budget (R18.7). ε is set so large here
 * that the noise is 0 but with probability below 10^-1000, so released figures equal the exact
 * ones; the noise itself is tested in LaplaceMechanismTest. When it fails, check StatisticsJob,
 * Tallies and StatisticsView.
 */
class PublicStatisticsTest {
  private static final Instant NOON = Instant.parse("2026-11-30T12:00:00Z");
  private static final String HA = "Health authority DE";

  @TempDir Path dir;
  private TestFederation f;
  private final MutableClock clock = new MutableClock(NOON);

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private Node start(String totalEpsilon) throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR").withoutBackgroundWork();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    f.withConfig(
        "public:\n  host: 127.0.0.1\n  port: "
            + port
            + "\nstatistics:\n  enabled: true\n  epsilonPerDay: 999999\n  totalEpsilon: "
            + totalEpsilon
            + "\n");
    return f.startNode("DE");
  }

  private void upload(Node node, int uploads) throws IOException {
    TestBatches keys = new TestBatches(uploads, clock.instant());
    for (int i = 0; i < uploads; i++) {
      f.upload(node, keys.keys(3, 3));
    }
    node.publishDue(true);
  }

  private PublicHttp http(Node node) throws Exception {
    return new PublicHttp(f.pki().caCertificate(), node.publicPort());
  }

  @Test
  void releasesADayOnceAfterTheDelayWithItsLedgerEntry() throws Exception {
    Node node = start("5000000");
    upload(node, 10);
    clock.set(Instant.parse("2026-12-02T23:59:59Z"));
    assertEquals(List.of(), node.releaseStatistics().released(), "R18.2: 48 hours not yet over");
    clock.set(Instant.parse("2026-12-03T00:00:00Z"));
    assertEquals(List.of("2026-11-30"), node.releaseStatistics().released());
    assertEquals(List.of(), node.releaseStatistics().released(), "R18.5: released once");

    PublicHttp http = http(node);
    JsonNode st = http.json("/api/v1/statistics");
    assertEquals(st, http.json("/api/v1/statistics"), "R18.5: the same answer again");
    assertEquals("discrete Laplace", st.get("mechanism").asText());
    assertEquals("999999", st.get("spentEpsilon").asText());
    JsonNode release = st.get("releases").get(0);
    JsonNode day = release.get("release");
    assertEquals("2026-11-30", day.get("day").asText());
    JsonNode ha = day.get("authorities").get(0);
    assertEquals(HA, ha.get("authority").asText());
    assertTrue(ha.get("published").asBoolean());
    assertEquals(10, ha.get("uploads").asLong());
    assertEquals(30, ha.get("keys").asLong(), "3 keys an upload, under the cap of 14");
    assertEquals(10, ha.get("delayDays").get("0-1").asLong(), "onset today: TestBatches' keys");
    List<String> bins = new java.util.ArrayList<>();
    ha.get("delayDays").fieldNames().forEachRemaining(bins::add);
    assertEquals(List.of("0-1", "2-3", "4-6", "7-13", "14+", "unknown"), bins);
    JsonNode pairs = day.get("pairs");
    assertEquals(2, pairs.size(), "R18.4: DE-FR and FR-DE, though nothing crossed");
    assertEquals(0, pairs.get(0).get("batches").asLong());
    assertEquals(st.get("pairs").size(), 2);
    assertEquals("2026-11-30", st.get("pairs").get(0).get("day").asText());

    byte[] compact = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(day);
    assertEquals(
        release.get("sha256").asText(),
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(compact)),
        "R18.6: the hash is of the release's compact JSON");
    long index = release.get("leafIndex").asLong();
    LogEntry entry = node.transparencyLog().entries(index, index + 1).get(0);
    assertEquals(EventType.EVENT_TYPE_STATISTICS_RELEASED, entry.getEventType());
    assertEquals("999999", entry.getReason());
    assertEquals(
        release.get("sha256").asText(),
        HexFormat.of().formatHex(entry.getSubjectSha256().toByteArray()));
    assertEquals("DE", entry.getOrigin());
  }

  @Test
  void withholdsAnAuthorityBelowTheThreshold() throws Exception {
    Node node = start("5000000");
    upload(node, 9);
    clock.set(Instant.parse("2026-12-03T00:00:00Z"));
    node.releaseStatistics();
    JsonNode ha =
        http(node)
            .json("/api/v1/statistics")
            .get("releases")
            .get(0)
            .get("release")
            .get("authorities")
            .get(0);
    assertEquals(HA, ha.get("authority").asText());
    assertFalse(ha.get("published").asBoolean(), "R18.3: 9 uploads, fewer than 10");
    assertEquals(List.of("authority", "published"), fields(ha), "R18.3: no figure of the row");
  }

  @Test
  void theLedgerSumsTheBudgetAndNothingIsReleasedBeyondIt() throws Exception {
    Node node = start("2999997");
    upload(node, 10);
    clock.set(Instant.parse("2026-12-06T00:00:00Z"));
    StatisticsJob.Result r = node.releaseStatistics();
    assertEquals(List.of("2026-11-30", "2026-12-01", "2026-12-02"), r.released());
    assertEquals(
        Optional.of(
            "R18.7: releasing 2026-12-03 at epsilon 999999 would spend 3999996, more than the"
                + " total budget 2999997 (statistics.totalEpsilon); nothing more is released"),
        r.refusal());
    assertEquals(r.refusal(), node.releaseStatistics().refusal(), "R18.7: still refused");
    long size = node.transparencyLog().checkpoint().getTreeSize();
    List<LogEntry> entries = node.transparencyLog().entries(0, size);
    assertEquals(Optional.of(Epsilon.parse("2999997")), Ledger.sum(entries), "R18.8");
    JsonNode st = http(node).json("/api/v1/statistics");
    assertEquals("2999997", st.get("spentEpsilon").asText());
    assertEquals("2999997", st.get("totalEpsilon").asText());
    assertEquals(3, st.get("releases").size());
  }

  @Test
  void refusesAStatisticsSectionItCannotKeep() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new org.fedtrace.stats.StatisticsPolicy(
                    Epsilon.parse("2"), Epsilon.parse("1"), 10, 48, 14, List.of(2)));
    assertEquals("totalEpsilon 1 is less than one day's epsilonPerDay 2", e.getMessage());
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
