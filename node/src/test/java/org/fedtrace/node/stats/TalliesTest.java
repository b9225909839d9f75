package org.fedtrace.node.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.stats.StatisticsPolicy;
import org.junit.jupiter.api.Test;

/**
 * What an upload and a log entry add to the exact counts (transparency.md §16.2): one upload, its
 * keys up to the cap (R18.9) and its delay bin; a delivery counts for (origin, receiver's country).
 */
class TalliesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final long TODAY = NOW.getEpochSecond() / 86_400;

  private static DiagnosisKey key(long daysAgo, Integer daysSinceOnset) {
    DiagnosisKey.Builder b =
        DiagnosisKey.newBuilder().setRollingStartIntervalNumber((int) ((TODAY - daysAgo) * 144));
    if (daysSinceOnset != null) {
      b.setDaysSinceOnsetOfSymptoms(daysSinceOnset);
    }
    return b.build();
  }

  @Test
  void anUploadCountsOnceWithItsKeysCappedAndItsDelay() {
    List<DiagnosisKey> keys = new java.util.ArrayList<>();
    for (int d = 1; d <= 20; d++) {
      keys.add(key(d, d == 1 ? null : 5 - d)); // onset 5 days ago
    }
    Map<String, Long> c = Tallies.upload(StatisticsPolicy.DEFAULTS, "RKI", keys, NOW);
    assertEquals(Map.of("ha/RKI/uploads", 1L, "ha/RKI/keys", 14L, "ha/RKI/delay/4-6", 1L), c);
    assertEquals(
        "unknown",
        Tallies.delayBin(StatisticsPolicy.DEFAULTS, List.of(key(1, null)), NOW),
        "no key gives its onset");
    assertEquals(
        "unknown",
        Tallies.delayBin(StatisticsPolicy.DEFAULTS, List.of(key(1, -3)), NOW),
        "onset after the upload");
    assertEquals("2026-12-01", Tallies.day(NOW.getEpochSecond()));
  }

  @Test
  void deliveriesCountForTheirPairAndOtherEntriesForNone() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    long t = NOW.getEpochSecond();
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_SENT, "DE", "FR/op-fr", 100, t), "DE", out);
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_SENT, "DE", "FR/op-fr", 50, t), "DE", out);
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_FORWARDED, "IT", "FR/op-fr", 7, t), "DE", out);
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_RECEIVED, "IT", "IT/op-it", 9, t), "DE", out);
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_CREATED, "DE", "", 100, t), "DE", out);
    Tallies.entry(entry(EventType.EVENT_TYPE_BATCH_REFUSED, "IT", "IT/op-it", 9, t), "DE", out);
    assertEquals(
        Map.of(
            "2026-12-01",
            Map.of(
                "pair/DE-FR/batches", 2L,
                "pair/DE-FR/keys", 150L,
                "pair/IT-FR/batches", 1L,
                "pair/IT-FR/keys", 7L,
                "pair/IT-DE/batches", 1L,
                "pair/IT-DE/keys", 9L)),
        out);
  }

  private static LogEntry entry(EventType type, String origin, String peer, int keys, long t) {
    return LogEntry.newBuilder()
        .setEventType(type)
        .setOrigin(origin)
        .setPeer(peer)
        .setKeyCount(keys)
        .setTimeUnixSeconds(t)
        .build();
  }
}
