package org.fedtrace.export;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.Page;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;

/**
 * Which keys of the store an export window releases (spec R24.1, R24.10). A key is releasable at
 * the end of its validity plus the embargo delay; a window ending at {@code end} releases every key
 * releasable by then, of every batch the store held when the window was cut, that no earlier window
 * released. An earlier window released exactly the keys releasable by its end of the batches up to
 * its store position, so that {@link ExportState} (the last window's end and position) is all it
 * takes to know what is new, and a batch that arrived late still reaches the next window.
 *
 * <p>The domestic-only keys of the node's own uploads (spec §25.1) never become a batch; they are
 * released the same way, by their id in the store instead of a batch position, as keys of the
 * node's own origin (R25.14), so that they join its file of the window and share its padding.
 */
final class Release {
  private static final int PAGE = 1_000;
  private static final long INTERVAL_SECONDS = 600;

  /**
   * The keys a window releases, by origin country.
   *
   * @param position the store position the window was cut at
   * @param domesticId the id of the last domestic-only key the window was cut at
   */
  record Selection(Map<String, List<DiagnosisKey>> byOrigin, long position, long domesticId) {}

  private Release() {}

  /** When {@code key} may first be released under {@code delaySeconds}. */
  static long releasableAt(DiagnosisKey key, long delaySeconds) {
    long end = Integer.toUnsignedLong(key.getRollingStartIntervalNumber()) + key.getRollingPeriod();
    return end * INTERVAL_SECONDS + delaySeconds;
  }

  /**
   * The keys of {@code store} that the window ending at {@code end} releases after {@code last}:
   * those of its batches, and its domestic-only keys as keys of {@code home}, the node's origin.
   */
  static Selection select(Store store, long end, long delaySeconds, ExportState last, String home) {
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
    long domesticId = domestic(store, new Cut(end, delaySeconds, last), byOrigin, home);
    return new Selection(byOrigin, cut, domesticId);
  }

  /** The window being cut: its end, the embargo, and what the window before it read. */
  private record Cut(long end, long delaySeconds, ExportState last) {
    /** Whether the key with {@code id}, releasable at {@code at}, is in this window. */
    boolean releases(long id, long at) {
      boolean seenBefore = last != null && id <= last.domesticId();
      return at <= end && !(seenBefore && at <= last.windowEnd());
    }
  }

  /** Adds the domestic-only keys the window releases to {@code home}'s; returns the id cut at. */
  private static long domestic(
      Store store, Cut window, Map<String, List<DiagnosisKey>> byOrigin, String home) {
    long cut = store.read(tx -> tx.uploads().lastDomesticId());
    long after = 0;
    while (after < cut) {
      long from = after;
      List<PendingKey> page = store.read(tx -> tx.uploads().domestic(from, cut, PAGE));
      for (PendingKey p : page) {
        DiagnosisKey k = parse(p);
        if (window.releases(p.id(), releasableAt(k, window.delaySeconds()))) {
          byOrigin.computeIfAbsent(home, o -> new ArrayList<>()).add(k);
        }
      }
      if (page.isEmpty()) {
        break;
      }
      after = page.get(page.size() - 1).id();
    }
    // ids only grow; a purge that forgot the newest keys must not move the cut back
    return Math.max(cut, window.last() == null ? 0 : window.last().domesticId());
  }

  private static DiagnosisKey parse(PendingKey p) {
    try {
      return DiagnosisKey.parseFrom(p.key());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("domestic key " + p.id() + " does not decode", e);
    }
  }

  private static List<DiagnosisKey> keys(StoredBatch b) {
    try {
      return DiagnosisKeyBatch.parseFrom(b.payload()).getKeysList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored batch " + b.position() + " does not decode", e);
    }
  }
}
