package org.fedtrace.node.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.pki.MemberOrigins;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.stats.Cells;
import org.fedtrace.stats.StatisticsPolicy;

/**
 * What one upload or one log entry adds to the day's exact counts (spec transparency.md §16.2):
 * never a row per upload, only sums per cell.
 */
public final class Tallies {
  private static final long SECONDS_PER_DAY = 86_400;
  private static final long INTERVAL_SECONDS = 600;

  private Tallies() {}

  /** The UTC day of {@code unixSeconds}, as {@code 2026-12-07}. */
  public static String day(long unixSeconds) {
    return Instant.ofEpochSecond(unixSeconds).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  /**
   * The counts an upload of {@code keys} accepted at {@code now} under {@code authority} adds: one
   * upload, its keys up to the cap, and one upload in the bin of its onset-to-upload delay.
   */
  public static Map<String, Long> upload(
      StatisticsPolicy policy, String authority, List<DiagnosisKey> keys, Instant now) {
    Map<String, Long> out = new HashMap<>();
    out.put(Cells.uploads(authority), 1L);
    out.put(Cells.keys(authority), (long) Math.min(keys.size(), policy.keysPerUploadCap()));
    out.put(Cells.delay(authority, delayBin(policy, keys, now)), 1L);
    return out;
  }

  /**
   * The bin of the days from the onset of symptoms to the upload: the onset is the day of the first
   * key that gives its days since onset, less those days; unknown when no key gives them.
   */
  static String delayBin(StatisticsPolicy policy, List<DiagnosisKey> keys, Instant now) {
    long uploadDay = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
    for (DiagnosisKey k : keys) {
      if (k.hasDaysSinceOnsetOfSymptoms()) {
        long keyDay =
            Math.floorDiv(
                Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) * INTERVAL_SECONDS,
                SECONDS_PER_DAY);
        long onset = keyDay - k.getDaysSinceOnsetOfSymptoms();
        return policy.delayBin(uploadDay - onset);
      }
    }
    return StatisticsPolicy.UNKNOWN_DELAY;
  }

  /**
   * Adds to {@code out} (by day, then cell) what a log entry of this node's ({@code country})
   * records of a batch crossing a border: a delivery to a peer counts for the pair (origin, peer's
   * country), a batch received for the pair (origin, this country).
   */
  public static void entry(LogEntry e, String country, Map<String, Map<String, Long>> out) {
    String to;
    EventType t = e.getEventType();
    if (t == EventType.EVENT_TYPE_BATCH_SENT || t == EventType.EVENT_TYPE_BATCH_FORWARDED) {
      to = MemberOrigins.countryOfPeer(e.getPeer());
    } else if (t == EventType.EVENT_TYPE_BATCH_RECEIVED) {
      to = country;
    } else {
      return;
    }
    // cells pair countries (transparency.md §16.2): a member origin (protocol.md §26.2), which a
    // log entry records whole (R26.16), counts for its country
    String from = MemberOrigins.country(e.getOrigin());
    if (from.equals(to)) {
      return;
    }
    Map<String, Long> day = out.computeIfAbsent(day(e.getTimeUnixSeconds()), d -> new TreeMap<>());
    day.merge(Cells.pairBatches(from, to), 1L, Long::sum);
    day.merge(Cells.pairKeys(from, to), Integer.toUnsignedLong(e.getKeyCount()), Long::sum);
  }

  /** {@code day} as a date. */
  static LocalDate date(String day) {
    return LocalDate.parse(day);
  }
}
