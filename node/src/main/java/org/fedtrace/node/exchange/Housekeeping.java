package org.fedtrace.node.exchange;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.BatchRecord;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.tlog.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention and sunset by code. The purge deletes every key whose validity ended more than
 * the agreement's retention days ago (a batch that lost keys can no longer be verified and is no
 * longer served), and forgets seen-batch records and used authorizations a day after they could
 * still be replayed. Past the sunset, the node erases all foreign data and records that it did.
 * Every change commits with its log entry.
 */
public final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  /** Outcome of one purge. */
  public record Purge(int batchesTouched, long keysDeleted, int recordsForgotten) {}

  private final ExchangeContext ctx;
  private final String country;
  private final int retentionDays;
  private final JobLease lease;

  /**
   * @param country the node's country: its own batches are not foreign
   * @param retentionDays the agreement's retention
   * @param lease the purge's lease: of the replicas sharing a store, only its holder purges
   */
  public Housekeeping(ExchangeContext ctx, String country, int retentionDays, JobLease lease) {
    this.ctx = ctx;
    this.country = country;
    this.retentionDays = retentionDays;
    this.lease = lease;
  }

  /** The first interval of the retention window now (spec §1.3). */
  public long windowStart() {
    return BatchRules.windowStart(ctx.clock().instant().getEpochSecond(), retentionDays);
  }

  /**
   * Deletes keys past retention (spec §1.3: rolling start + period before the window start W = now
   * interval - retention days x 144; a key ending exactly at W is still kept), if this replica
   * holds the purge's lease; returns what it did.
   */
  public synchronized Purge purge() {
    if (!lease.hold()) {
      return new Purge(0, 0, 0); // another replica purges
    }
    long now = ctx.clock().instant().getEpochSecond();
    long cutoff = BatchRules.windowStart(now, retentionDays);
    int touched = 0;
    long deleted = 0;
    for (StoredBatch stored : ctx.store().read(tx -> tx.batches().withKeysEndingBefore(cutoff))) {
      deleted += purge(stored, cutoff);
      touched++;
    }
    long forgetBefore = now - (retentionDays + 1L) * 86_400;
    int forgotten =
        ctx.store()
            .write(
                tx -> {
                  lease.check(tx);
                  int n = tx.batches().forgetBefore(forgetBefore);
                  tx.uploads().forgetExpiredBefore(forgetBefore);
                  tx.notices().forgetUnreferenced();
                  return n;
                });
    if (touched > 0 || forgotten > 0) {
      ctx.store().scrub(); // deleted keys must not stay readable in the store's files
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

  /** Drops the keys of {@code stored} that ended before {@code cutoff}; returns how many. */
  private long purge(StoredBatch stored, long cutoff) {
    DiagnosisKeyBatch batch = StoredBatches.parse(stored);
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
    ctx.store()
        .write(
            tx -> {
              lease.check(tx); // a replica that lost the lease never logs a purge twice
              tx.batches().replacePayload(stored.position(), payload, kept.size(), keyEnd);
              ctx.log()
                  .append(
                      tx.log(), LogEvent.purged(stored.contentSha256(), stored.origin(), removed));
              return null;
            });
    return removed;
  }

  /**
   * Past the sunset, erases every batch of another origin and every sync cursor, and records the
   * erasure.
   *
   * @return true when the sunset has passed (whether or not anything was left to erase)
   */
  public synchronized boolean enforceSunset() {
    if (!ctx.lifecycle().pastSunset()) {
      return false;
    }
    List<BatchRecord> erased =
        ctx.store()
            .write(
                tx -> {
                  List<BatchRecord> foreign = tx.batches().foreign(country);
                  for (BatchRecord b : foreign) {
                    ctx.log()
                        .append(
                            tx.log(), LogEvent.erased(b.contentSha256(), b.origin(), b.keyCount()));
                  }
                  tx.batches().eraseForeign(country);
                  tx.cursors().eraseAll();
                  // R21.11: a restart with the clock set back does not reopen exchange
                  tx.agreements().recordSunset(ctx.clock().instant().getEpochSecond());
                  return foreign;
                });
    if (!erased.isEmpty()) {
      ctx.store().scrub();
      LOG.warn(
          "event=sunset_erasure sunset={} batches_erased={} keys_erased={}",
          ctx.lifecycle().sunsetDate(),
          erased.size(),
          erased.stream().mapToLong(BatchRecord::keyCount).sum());
    }
    return true;
  }
}
