package org.fedtrace.export;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.Page;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;

/**
 * Which keys of the store an export window releases (spec R24.1, R24.10). A key is releasable at
 * the end of its validity plus the embargo delay; a window ending at {@code end} releases every key
 * releasable by then, of every batch the store held when the window was cut, that no earlier window
 * released. An earlier window released exactly the keys releasable by its end of the batches up to
 * its store position, so that {@link ExportState} (the last window's end and position) is all it
 * takes to know what is new, and a batch that arrived late still reaches the next window.
 */
final class Release {
  private static final int PAGE = 1_000;
  private static final long INTERVAL_SECONDS = 600;

  /**
   * The keys a window releases, by origin country.
   *
   * @param position the store position the window was cut at
   */
  record Selection(Map<String, List<DiagnosisKey>> byOrigin, long position) {}

  private Release() {}

  /** When {@code key} may first be released under {@code delaySeconds}. */
  static long releasableAt(DiagnosisKey key, long delaySeconds) {
    long end = Integer.toUnsignedLong(key.getRollingStartIntervalNumber()) + key.getRollingPeriod();
    return end * INTERVAL_SECONDS + delaySeconds;
  }

  /**
   * The keys of {@code store} that the window ending at {@code end} releases after {@code last}.
   */
  static Selection select(Store store, long end, long delaySeconds, ExportState last) {
    Map<String, List<DiagnosisKey>> byOrigin = new TreeMap<>();
    long cut = store.read(tx -> tx.batches().lastPosition());
    long after = 0;
    while (after < cut) {
      long from = after;
      Page page = store.read(tx -> tx.batches().withKeysAfter(from, PAGE));
      for (StoredBatch b : page.batches()) {
        if (b.position() > cut) {
          break;
        }
        boolean seenBefore = last != null && b.position() <= last.position();
        for (DiagnosisKey k : keys(b)) {
          long at = releasableAt(k, delaySeconds);
          boolean releasedBefore = seenBefore && at <= last.windowEnd();
          if (at <= end && !releasedBefore) {
            byOrigin.computeIfAbsent(b.origin(), o -> new ArrayList<>()).add(k);
          }
        }
      }
      if (page.batches().isEmpty() || page.lastPosition() <= after) {
        break;
      }
      after = page.lastPosition();
    }
    return new Selection(byOrigin, cut);
  }

  private static List<DiagnosisKey> keys(StoredBatch b) {
    try {
      return DiagnosisKeyBatch.parseFrom(b.payload()).getKeysList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored batch " + b.position() + " does not decode", e);
    }
  }
}
