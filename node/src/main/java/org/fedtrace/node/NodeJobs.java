package org.fedtrace.node;

import java.util.concurrent.TimeUnit;
import org.fedtrace.node.exchange.Batcher;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.Housekeeping;
import org.fedtrace.node.exchange.Peers;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.operator.ExposureFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own work besides answering calls: publishing its due batches (every second and right
 * after an upload), and housekeeping (the sunset check and the retention purge, of batches and of
 * operator matching's deposits, every purge interval). A node with background work off (the
 * simulator's, so that a batch holds the same keys whatever the threads' timing) runs the same jobs
 * only when told to.
 */
final class NodeJobs {
  private static final Logger LOG = LoggerFactory.getLogger(NodeJobs.class);

  private final ExchangeContext ctx;
  private final Batcher batcher;
  private final Housekeeping housekeeping;
  private final ExposureFinder finder;
  private final Peers peers;
  private final NodeHealth health;
  private final boolean background;

  /**
   * @param finder operator-assisted matching, or null in device mode
   * @param health what the health service reports, updated at the sunset
   * @param background whether the jobs run on their own schedule
   */
  NodeJobs(
      ExchangeContext ctx,
      Batcher batcher,
      Housekeeping housekeeping,
      ExposureFinder finder,
      Peers peers,
      NodeHealth health,
      boolean background) {
    this.ctx = ctx;
    this.batcher = batcher;
    this.housekeeping = housekeeping;
    this.finder = finder;
    this.peers = peers;
    this.health = health;
    this.background = background;
  }

  /** Schedules the jobs, when the node runs them on its own. */
  void schedule(long purgeIntervalSeconds) {
    if (background) {
      ctx.scheduler().scheduleWithFixedDelay(this::publishQuietly, 1, 1, TimeUnit.SECONDS);
      ctx.scheduler()
          .scheduleWithFixedDelay(
              this::housekeepingQuietly,
              purgeIntervalSeconds,
              purgeIntervalSeconds,
              TimeUnit.SECONDS);
    }
  }

  /** An upload left keys pending: publish what is due now, unless publishing is driven. */
  void keysPending() {
    if (background) {
      ctx.scheduler().execute(this::publishQuietly);
    }
  }

  /** Publishes due own batches now; with {@code flush}, every pending key. */
  int publishDue(boolean flush) {
    return batcher.publishDue(flush);
  }

  /**
   * The sunset check, then the retention purge: past the sunset, foreign data and operator
   * matching's deposits are erased and the peers left (R21.8, R21.9, R15.23); keys, deposits and
   * exposures past retention are purged (R21.12, R15.22).
   */
  void housekeeping() {
    if (housekeeping.enforceSunset()) {
      peers.unfollowAll();
      health.report(ctx.lifecycle()); // peers' channels stop picking this replica
      ctx.notifier().batchStored();
      if (finder != null) {
        finder.erase();
      }
    }
    housekeeping.purge();
    if (finder != null) {
      finder.purge(housekeeping.windowStart());
    }
  }

  private void publishQuietly() {
    try {
      if (ctx.lifecycle().state() == Lifecycle.State.SERVING) {
        batcher.publishDue(false);
      }
    } catch (RuntimeException e) {
      LOG.error("event=batching_failed error=\"{}\"", e.getMessage(), e);
    }
  }

  /** {@link #housekeeping}, logging a failure instead of throwing it. */
  void housekeepingQuietly() {
    try {
      housekeeping();
    } catch (RuntimeException e) {
      LOG.error("event=housekeeping_failed error=\"{}\"", e.getMessage(), e);
    }
  }
}
