package org.fedtrace.node;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.TransparencyLog;

/** What the node's RPC handlers share. */
final class NodeServices {
  private final Store store;
  private final Ingest ingest;
  private final Lifecycle lifecycle;
  private final RateLimits rateLimits;
  private final NodeMetrics metrics;
  private final TransparencyLog log;
  private final BatchNotifier notifier;
  private final ScheduledExecutorService scheduler;
  private final GetNodeInfoResponse nodeInfo;
  private final long heartbeatMillis;
  private final boolean forward;
  private final Clock clock;
  private final int retentionDays;

  NodeServices(
      Store store,
      Ingest ingest,
      Lifecycle lifecycle,
      RateLimits rateLimits,
      NodeMetrics metrics,
      TransparencyLog log,
      BatchNotifier notifier,
      ScheduledExecutorService scheduler,
      GetNodeInfoResponse nodeInfo,
      long heartbeatMillis,
      boolean forward,
      Clock clock,
      int retentionDays) {
    this.clock = clock;
    this.retentionDays = retentionDays;
    this.store = store;
    this.ingest = ingest;
    this.lifecycle = lifecycle;
    this.rateLimits = rateLimits;
    this.metrics = metrics;
    this.log = log;
    this.notifier = notifier;
    this.scheduler = scheduler;
    this.nodeInfo = nodeInfo;
    this.heartbeatMillis = heartbeatMillis;
    this.forward = forward;
  }

  /**
   * The retention window's start W (spec §1.3): a batch with a key whose validity ended before this
   * interval is no longer servable, even before the purge removes the key.
   */
  long retentionWindowStart() {
    return BatchRules.windowStart(clock.instant().getEpochSecond(), retentionDays);
  }

  /** Which batches may be served to {@code peer} now. */
  Recipient recipient(OperatorIdentity peer) {
    return new Recipient(peer, forward, retentionWindowStart());
  }

  Store store() {
    return store;
  }

  Ingest ingest() {
    return ingest;
  }

  Lifecycle lifecycle() {
    return lifecycle;
  }

  /** The per-caller rate limits (R6.16), checked right after {@link #lifecycle}. */
  RateLimits rateLimits() {
    return rateLimits;
  }

  NodeMetrics metrics() {
    return metrics;
  }

  BatchNotifier notifier() {
    return notifier;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  long heartbeatMillis() {
    return heartbeatMillis;
  }

  GetNodeInfoResponse nodeInfo() {
    return nodeInfo;
  }

  /**
   * Records batches about to be served to {@code peer} (a page of a pull or a subscription) in the
   * transparency log, all in one transaction, and counts them.
   */
  void sent(List<StoredBatch> batches, OperatorIdentity peer) {
    if (batches.isEmpty()) {
      return;
    }
    store.write(
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
  void logSent(Transaction tx, StoredBatch stored, OperatorIdentity peer) {
    boolean own = stored.own();
    log.append(
        tx.log(),
        LogEvent.delivered(stored.contentSha256(), stored.origin(), peer, stored.keyCount(), own));
    metrics.batch(peer.toString(), "out", own ? "sent" : "forwarded", "", stored.keyCount());
    metrics.batchBytes("out", stored.payload().length);
  }
}
