package org.fedtrace.node;

import java.util.concurrent.ScheduledExecutorService;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;

/** What the node's RPC handlers share. */
final class NodeServices {
  private final Store store;
  private final Ingest ingest;
  private final Lifecycle lifecycle;
  private final RateLimits rateLimits;
  private final NodeMetrics metrics;
  private final ExchangeLog log;
  private final BatchNotifier notifier;
  private final ScheduledExecutorService scheduler;
  private final GetNodeInfoResponse nodeInfo;
  private final long heartbeatMillis;
  private final boolean forward;

  NodeServices(
      Store store,
      Ingest ingest,
      Lifecycle lifecycle,
      RateLimits rateLimits,
      NodeMetrics metrics,
      ExchangeLog log,
      BatchNotifier notifier,
      ScheduledExecutorService scheduler,
      GetNodeInfoResponse nodeInfo,
      long heartbeatMillis,
      boolean forward) {
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

  /** Whether batches received from peers are served to other peers too. */
  boolean forward() {
    return forward;
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

  /** Logs and counts a stored batch delivered to {@code peer} (served, or pushed and acked). */
  void sent(StoredBatch stored, OperatorIdentity peer) {
    boolean own = stored.receivedFrom() == null;
    log.record(
        own ? ExchangeLog.Event.BATCH_SENT : ExchangeLog.Event.BATCH_FORWARDED,
        stored.contentSha256(),
        stored.origin(),
        peer.toString(),
        stored.keyCount(),
        "");
    metrics.batch(peer.toString(), "out", own ? "sent" : "forwarded", "", stored.keyCount());
    metrics.batchBytes("out", stored.payload().length);
  }
}
