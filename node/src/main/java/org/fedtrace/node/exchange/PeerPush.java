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
 * stored after each acknowledged batch, so progress survives a restart; a batch whose push failed
 * with a code that may succeed later (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
 * INTERNAL), or refused transiently for the peer's clock (R20.11), is retried after a {@link
 * Backoff} (R20.9); a batch the peer refused for good is skipped and logged (R20.8). Before pushing
 * over a connection that was idle, it checks with GetNodeInfo that the peer enforces the same
 * agreement (R7.9, R7.10).
 *
 * <p>The channel may close when idle, so a node configured with many push peers holds open
 * connections only to those it is pushing to.
 */
final class PeerPush {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPush.class);
  private static final int PAGE = 32;
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

  PeerPush(PeerChannel peer, Deliveries deliveries, ExchangeContext ctx, Backoff backoff) {
    this.peer = peer;
    this.deliveries = deliveries;
    this.ctx = ctx;
    this.backoff = backoff;
  }

  /** Starts pushing what is due now and whatever is stored later. */
  void start() {
    synced();
    ctx.notifier().add(wake);
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
    long position = position();
    Page page =
        ctx.store()
            .read(
                tx ->
                    tx.batches().servableAfter(position, PAGE, deliveries.recipient(peer.peer())));
    if (page.batches().isEmpty()) {
      synced();
      if (page.lastPosition() != position) {
        // batches this peer does not get are not the end of the store: remember how far we
        // looked, and look further now rather than when some other batch happens to be stored
        savePosition(page.lastPosition());
        schedule();
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

  private long position() {
    return ctx.store()
        .read(tx -> tx.cursors().get(peer.peer(), PeerCursor.Direction.PUSH))
        .map(PeerCursor::position)
        .orElse(0L);
  }

  private void savePosition(long position) {
    ctx.store()
        .write(
            tx -> {
              tx.cursors().put(PeerCursor.pushed(peer.peer(), position));
              return null;
            });
  }
}
