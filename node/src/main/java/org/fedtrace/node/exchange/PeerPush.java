package org.fedtrace.node.exchange;

import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.wire.BatchWire;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.store.Page;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.StoredBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes this node's batches to one peer with PublishBatch, one call at a time, in store order: its
 * own batches, and those of other origins when the node forwards. The position pushed up to is
 * stored after each acknowledged batch, in the transaction that logs the delivery, so progress
 * survives a restart. How far it looked past batches this peer does not get is kept in memory and
 * stored only every {@link #SKIP_COMMIT_DISTANCE} positions: a restart looks at those batches again
 * and skips them again, so nothing is lost, and a node that stores many batches it does not push to
 * this peer (a mesh, where received batches are not forwarded) does not commit a cursor for each.
 * The push task is woken only for a stored batch it may send this peer ({@link Deliveries#mayPush})
 * and at changes of the node's state. A batch whose push failed with a code that may succeed later
 * (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL), or refused transiently for the
 * peer's clock (R20.11), is retried after a {@link Backoff} (R20.9); a batch the peer refused for
 * good is skipped and logged (R20.8). Before pushing over a connection that was idle, it checks
 * with GetNodeInfo that the peer enforces the same agreement (R7.9, R7.10).
 *
 * <p>The channel may close when idle, so a node configured with many push peers holds open
 * connections only to those it is pushing to.
 */
final class PeerPush {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPush.class);
  private static final int PAGE = 32;

  /**
   * How many store positions the in-memory cursor may run ahead of the stored one while skipping
   * batches this peer does not get, before it is stored: bounds what a restart looks at again.
   */
  static final long SKIP_COMMIT_DISTANCE = 1_000;

  private static final String DIRECTION = "push";
  private static final Set<Status.Code> RETRY =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.INTERNAL,
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN);

  private final PeerChannel peer;
  private final Deliveries deliveries;
  private final ExchangeContext ctx;
  private final Backoff backoff;
  private final Runnable wake = this::schedule;
  private boolean scheduled;
  private boolean inFlight;
  private boolean stopped;

  /** How far this push has looked in the store (guarded by this); -1 until read from the store. */
  private long position = -1;

  /** The position last stored in the peer's push cursor (guarded by this). */
  private long committed;

  PeerPush(PeerChannel peer, Deliveries deliveries, ExchangeContext ctx, Backoff backoff) {
    this.peer = peer;
    this.deliveries = deliveries;
    this.ctx = ctx;
    this.backoff = backoff;
  }

  /** Starts pushing what is due now and whatever is stored later. */
  void start() {
    synced();
    ctx.notifier().add(wake, stored -> deliveries.mayPush(peer.peer(), stored));
    schedule();
  }

  /** Stops pushing and closes the channel. */
  synchronized void stop() {
    stopped = true;
    ctx.notifier().remove(wake);
    peer.close();
    ctx.metrics().peerUnfollowed(peer.peer().toString(), DIRECTION);
  }

  /** The peer acknowledged a batch, or has every batch due: the exchange works. */
  private void synced() {
    ctx.metrics().peerSynced(peer.peer().toString(), DIRECTION, ctx.clock().instant());
  }

  private synchronized void schedule() {
    if (!stopped && !scheduled && !inFlight) {
      scheduled = true;
      ctx.scheduler().execute(this::next);
    }
  }

  private synchronized void next() {
    scheduled = false;
    if (stopped || inFlight || ctx.lifecycle().pastSunset()) {
      return;
    }
    if (position < 0) {
      committed = storedPosition();
      position = committed;
    }
    long from = position;
    Page page =
        ctx.store()
            .read(tx -> tx.batches().servableAfter(from, PAGE, deliveries.recipient(peer.peer())));
    if (page.batches().isEmpty()) {
      synced();
      // the rest of the store holds no batch for this peer now (a page ends at the newest batch
      // when it is not full), and servable batches only become unservable: a batch stored later
      // wakes this task if it may go to this peer, so there is nothing to look at until then
      position = Math.max(position, page.lastPosition());
      if (position - committed >= SKIP_COMMIT_DISTANCE) {
        savePosition(position);
      }
      return;
    }
    inFlight = true;
    StoredBatch first = page.batches().get(0);
    if (!deliveries.intact(first, peer.peer())) {
      skipped(first);
      return;
    }
    if (peer.channel().getState(false) == ConnectivityState.IDLE) {
      peer.checkAgreement(() -> push(first), this::retryLater);
    } else {
      push(first);
    }
  }

  private void push(StoredBatch stored) {
    ClientCalls.asyncUnaryCall(
        peer.channel()
            .newCall(
                BatchWire.PUBLISH_STORED,
                peer.options(peer.deadlineMillis(), TimeUnit.MILLISECONDS)),
        BatchWire.publish(stored),
        new StreamObserver<PublishBatchResponse>() {
          @Override
          public void onNext(PublishBatchResponse r) {}

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            if (RETRY.contains(s.getCode())
                || TransientRefusals.isTransient(s, stored, ctx.clock().instant())) {
              LOG.warn("event=push_deferred peer={} status={}", peer.peer(), s.getCode());
              retryLater();
              return;
            }
            LOG.warn(
                "event=push_refused peer={} origin={} status={} message=\"{}\"",
                peer.peer(),
                stored.origin(),
                s.getCode(),
                s.getDescription());
            skipped(stored);
          }

          @Override
          public void onCompleted() {
            done(stored);
          }
        });
  }

  /** The peer acknowledged {@code stored}: log the delivery with the progress, then go on. */
  private synchronized void done(StoredBatch stored) {
    backoff.reset();
    synced();
    ctx.store()
        .write(
            tx -> {
              tx.cursors().put(PeerCursor.pushed(peer.peer(), stored.position()));
              deliveries.logSent(tx, stored, peer.peer());
              return null;
            });
    position = stored.position();
    committed = position;
    inFlight = false;
    schedule();
  }

  /** The peer refused {@code stored} for good: move past it without logging a delivery. */
  private synchronized void skipped(StoredBatch stored) {
    backoff.reset();
    savePosition(stored.position());
    inFlight = false;
    schedule();
  }

  private synchronized void retryLater() {
    inFlight = false;
    if (!stopped) {
      ctx.scheduler()
          .schedule(
              () -> {
                peer.retryNow();
                schedule();
              },
              backoff.nextDelayMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** The push cursor as stored: how far this peer was pushed before a restart, 0 for none. */
  private long storedPosition() {
    return ctx.store()
        .read(tx -> tx.cursors().get(peer.peer(), PeerCursor.Direction.PUSH))
        .map(PeerCursor::position)
        .orElse(0L);
  }

  /** Stores the push cursor at {@code to}, and remembers it in memory. */
  private void savePosition(long to) {
    ctx.store()
        .write(
            tx -> {
              tx.cursors().put(PeerCursor.pushed(peer.peer(), to));
              return null;
            });
    position = to;
    committed = to;
  }
}
