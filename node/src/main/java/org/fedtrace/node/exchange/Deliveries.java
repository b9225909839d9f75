package org.fedtrace.node.exchange;

import java.util.List;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;

/**
 * What leaves the node for a peer, whoever starts the exchange (a peer pulling, subscribing or
 * fetching, or this node pushing): which batches that peer may be served, and the BATCH_SENT or
 * BATCH_FORWARDED entry and counts of each delivery.
 */
public final class Deliveries {
  private final ExchangeContext ctx;
  private final boolean forward;
  private final int retentionDays;

  /**
   * @param forward whether batches received from peers are served to other peers too
   * @param retentionDays the agreement's retention, which decides what may still be served
   */
  public Deliveries(ExchangeContext ctx, boolean forward, int retentionDays) {
    this.ctx = ctx;
    this.forward = forward;
    this.retentionDays = retentionDays;
  }

  /**
   * The retention window's start W (spec §1.3): a batch with a key whose validity ended before this
   * interval is no longer servable, even before the purge removes the key.
   */
  public long retentionWindowStart() {
    return BatchRules.windowStart(ctx.clock().instant().getEpochSecond(), retentionDays);
  }

  /** Which batches may be served to {@code peer} now. */
  public Recipient recipient(OperatorIdentity peer) {
    return new Recipient(peer, forward, retentionWindowStart());
  }

  /**
   * Records batches about to be served to {@code peer} (a page of a pull or a subscription) in the
   * transparency log, all in one transaction, and counts them.
   */
  public void sent(List<StoredBatch> batches, OperatorIdentity peer) {
    if (batches.isEmpty()) {
      return;
    }
    ctx.store()
        .write(
            tx -> {
              for (StoredBatch b : batches) {
                logSent(tx, b, peer);
              }
              return null;
            });
  }

  /**
   * Records one batch delivered to {@code peer} in the caller's transaction (a push, committed with
   * the push progress), and counts it.
   */
  public void logSent(Transaction tx, StoredBatch stored, OperatorIdentity peer) {
    ctx.log()
        .append(
            tx.log(),
            LogEvent.delivered(
                stored.contentSha256(), stored.origin(), peer, stored.keyCount(), stored.own()));
    String outcome = stored.own() ? "sent" : "forwarded";
    ctx.metrics().batch(peer.toString(), "out", outcome, "", stored.keyCount());
    ctx.metrics().batchBytes("out", stored.payload().length);
  }
}
