package org.fedtrace.node;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.exchange.Batcher;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.Housekeeping;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.exchange.PeerLeases;
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
  private final boolean background;
  private final PeerLeases peerLeases;

  /**
   * @param finder operator-assisted matching, or null in device mode
   * @param peerLeases which configured peers this replica exchanges with
   * @param background whether the jobs run on their own schedule
   */
  NodeJobs(
      ExchangeContext ctx,
      Batcher batcher,
      Housekeeping housekeeping,
      ExposureFinder finder,
      Peers peers,
      PeerLeases peerLeases,
      boolean background) {
    this.ctx = ctx;
    this.batcher = batcher;
    this.housekeeping = housekeeping;
    this.finder = finder;
    this.peers = peers;
    this.background = background;
    this.peerLeases = peerLeases;
  }

  /** Exchanges with the configured peers whose leases this replica holds or takes. */
  void exchangeWithPeers() throws IOException {
    peerLeases.exchange();
  }

  /** Gives up the leases this replica holds, so that other replicas take its jobs at once. */
  void releaseLeases() {
    peerLeases.release();
  }

  /** Schedules the jobs, when the node runs them on its own. */
  void schedule(long purgeIntervalSeconds) {
    if (background) {
      long renew = JobLease.TTL_MILLIS / 3;
      ctx.scheduler()
          .scheduleWithFixedDelay(this::exchangeQuietly, renew, renew, TimeUnit.MILLISECONDS);
      ctx.scheduler().scheduleWithFixedDelay(this::publishQuietly, 1, 1, TimeUnit.SECONDS);
      ctx.scheduler()
          .scheduleWithFixedDelay(
              this::housekeepingQuietly,
              purgeIntervalSeconds,
              purgeIntervalSeconds,
              TimeUnit.SECONDS);
    }
  }

  /**
   * An upload left keys pending: publish what is due now, unless publishing is driven; and in
   * operator mode match now, since a domestic-only upload stores no batch to wake matching
   * (R25.18).
   */
  void keysPending() {
    if (background) {
      ctx.scheduler().execute(this::publishQuietly);
      if (finder != null) {
        finder.wake();
      }
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

  private void exchangeQuietly() {
    try {
      if (ctx.lifecycle().state() == Lifecycle.State.SERVING) {
        exchangeWithPeers();
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("event=peer_leases_failed error=\"{}\"", e.getMessage(), e);
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
