package org.fedtrace.node;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.BatchRecord;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.TransparencyLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention and sunset by code. The purge deletes every key whose validity ended more than
 * the agreement's retention days ago (a batch that lost keys can no longer be verified and is no
 * longer served), and forgets seen-batch records a day after they could still be replayed. At the
 * sunset, the node erases all foreign data and records that it did. In operator mode the same
 * window and the same sunset apply to the subscribers' deposits and exposures (spec R15.22,
 * R15.23).
 */
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final String country;
  private final int retentionDays;
  private final Store store;
  private final TransparencyLog log;
  private final Lifecycle lifecycle;
  private final Clock clock;
  private final ExposureFinder exposureFinder;

  /**
   * @param exposureFinder the operator-assisted matching whose deposits and exposures retention and
   *     sunset also apply to, or null in device mode
   */
  Housekeeping(
      String country,
      int retentionDays,
      Store store,
      TransparencyLog log,
      Lifecycle lifecycle,
      Clock clock,
      ExposureFinder exposureFinder) {
    this.country = country;
    this.retentionDays = retentionDays;
    this.store = store;
    this.log = log;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.exposureFinder = exposureFinder;
  }

  /** Outcome of one purge. */
  record Purge(int batchesTouched, long keysDeleted, int recordsForgotten) {}

  /**
   * Deletes keys past retention (spec §1.3: rolling start + period before the window start W = now
   * interval - retention days x 144; a key ending exactly at W is still kept); returns what it did.
   */
  synchronized Purge purge() {
    long now = clock.instant().getEpochSecond();
    long cutoff = BatchRules.windowStart(now, retentionDays);
    int touched = 0;
    long deleted = 0;
    for (StoredBatch stored : store.read(tx -> tx.batches().withKeysEndingBefore(cutoff))) {
      DiagnosisKeyBatch batch = BatchExchange.parse(stored.payload());
      List<DiagnosisKey> kept = new ArrayList<>();
      long oldest = Long.MAX_VALUE;
      for (DiagnosisKey k : batch.getKeysList()) {
        long end = Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) + k.getRollingPeriod();
        if (end >= cutoff) {
          kept.add(k);
          oldest = Math.min(oldest, end);
        }
      }
      long removed = batch.getKeysCount() - kept.size();
      byte[] payload =
          kept.isEmpty()
              ? null
              : batch.toBuilder().clearKeys().addAllKeys(kept).build().toByteArray();
      long keyEnd = oldest;
      store.write(
          tx -> {
            tx.batches().replacePayload(stored.position(), payload, kept.size(), keyEnd);
            log.append(tx.log(), LogEvent.purged(stored.contentSha256(), stored.origin(), removed));
            return null;
          });
      touched++;
      deleted += removed;
    }
    long forgetBefore = now - (retentionDays + 1L) * 86_400;
    int forgotten =
        store.write(
            tx -> {
              int n = tx.batches().forgetBefore(forgetBefore);
              tx.uploads().forgetExpiredBefore(forgetBefore);
              tx.notices().forgetUnreferenced();
              return n;
            });
    if (exposureFinder != null) {
      // R15.22: observations heard before the window, exposures that ended before it
      long[] operator = exposureFinder.purge(cutoff);
      if (operator[0] > 0 || operator[1] > 0) {
        LOG.info(
            "event=operator_retention_purge observations_deleted={} exposures_deleted={}",
            operator[0],
            operator[1]);
      }
    }
    if (touched > 0 || forgotten > 0) {
      LOG.info(
          "event=retention_purge batches={} keys_deleted={} records_forgotten={}"
              + " retention_days={}",
          touched,
          deleted,
          forgotten,
          retentionDays);
    }
    return new Purge(touched, deleted, forgotten);
  }

  /**
   * Past the sunset, erases every batch of another origin and every sync cursor, and records the
   * erasure.
   *
   * @return true when the sunset has passed (whether or not anything was left to erase)
   */
  synchronized boolean enforceSunset() {
    if (!lifecycle.pastSunset()) {
      return false;
    }
    List<BatchRecord> erased =
        store.write(
            tx -> {
              List<BatchRecord> foreign = tx.batches().foreign(country);
              for (BatchRecord b : foreign) {
                log.append(tx.log(), LogEvent.erased(b.contentSha256(), b.origin(), b.keyCount()));
              }
              tx.batches().eraseForeign(country);
              tx.cursors().eraseAll();
              return foreign;
            });
    if (!erased.isEmpty()) {
      LOG.warn(
          "event=sunset_erasure sunset={} batches_erased={} keys_erased={}",
          lifecycle.sunsetDate(),
          erased.size(),
          erased.stream().mapToLong(BatchRecord::keyCount).sum());
    }
    if (exposureFinder != null) {
      // R15.23: deposits and exposures end with the exchange they served
      long[] operator = exposureFinder.erase();
      if (operator[0] > 0 || operator[1] > 0) {
        LOG.warn(
            "event=sunset_operator_erasure sunset={} observations_erased={} exposures_erased={}",
            lifecycle.sunsetDate(),
            operator[0],
            operator[1]);
      }
    }
    return true;
  }
}
