package org.fedtrace.node.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedtrace.node.exchange.Deliveries;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.wire.BatchWire;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.fedtrace.store.Page;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SubscribeBatches stream: the backlog after the cursor, then the live tail, then heartbeats
 * while idle. Respects the client's flow control (sends only while the stream is ready), and runs
 * its sending on the node's scheduler, one drain at a time.
 */
final class Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
  private static final int PAGE = 64;

  /** What a subscription needs from the node. */
  record Served(ExchangeContext ctx, Deliveries deliveries, long heartbeatMillis) {}

  private final Served served;
  private final OperatorIdentity peer;
  private final InterestFilter filter;
  private final ServerCallStreamObserver<BatchWire.Encoded> call;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable wake = this::schedule;
  private volatile boolean done;
  private long position;
  private boolean caughtUp;
  private long lastSentNanos = System.nanoTime();
  private ScheduledFuture<?> heartbeat;

  private Subscription(
      Served served,
      OperatorIdentity peer,
      long position,
      InterestFilter filter,
      ServerCallStreamObserver<BatchWire.Encoded> call) {
    this.served = served;
    this.peer = peer;
    this.position = position;
    this.filter = filter;
    this.call = call;
  }

  static void start(
      Served served,
      OperatorIdentity peer,
      long position,
      InterestFilter filter,
      ServerCallStreamObserver<BatchWire.Encoded> call) {
    Subscription s = new Subscription(served, peer, position, filter, call);
    call.setOnCancelHandler(s::finish);
    call.setOnReadyHandler(s::schedule);
    ExchangeContext ctx = served.ctx();
    ctx.notifier().add(s.wake);
    ctx.metrics().subscriptionDelta(1);
    long every = served.heartbeatMillis();
    s.heartbeat =
        ctx.scheduler().scheduleAtFixedRate(s::schedule, every, every, TimeUnit.MILLISECONDS);
    s.schedule();
  }

  /**
   * Who the subscriber is served as: R10.13, its own country's batches too when it asked; R25.13,
   * only the origins and scope it asked for.
   */
  private org.fedtrace.store.Recipient recipient() {
    return filter.apply(served.deliveries().recipient(peer));
  }

  private void schedule() {
    if (!done && scheduled.compareAndSet(false, true)) {
      served.ctx().scheduler().execute(this::drain);
    }
  }

  private synchronized void drain() {
    scheduled.set(false);
    try {
      served.ctx().lifecycle().checkExchange(Rule.PAST_SUNSET);
      Store store = served.ctx().store();
      while (!done && call.isReady()) {
        long before = position;
        long after = position;
        Page page = store.read(tx -> tx.batches().servableAfter(after, PAGE, recipient()));
        // at most about 4 MiB per round, so a slow subscriber does not make the node buffer
        // many large batches: the loop sends more only once the stream is ready again
        List<StoredBatch> batches = BatchWire.withinResponseLimit(page.batches());
        position =
            batches.size() < page.batches().size()
                ? batches.get(batches.size() - 1).position()
                : page.lastPosition();
        for (StoredBatch b : served.deliveries().sent(batches, peer)) {
          send(BatchWire.subscribe(b, Cursor.encode(store.epoch(), b.position()), caughtUp));
        }
        if (page.batches().isEmpty() && page.lastPosition() != before) {
          continue; // a page of batches this peer does not get is not the end of the store
        }
        if (page.batches().isEmpty()) {
          boolean idle = System.nanoTime() - lastSentNanos >= served.heartbeatMillis() * 1_000_000L;
          if (!caughtUp || idle) {
            caughtUp = true;
            send(BatchWire.heartbeat(Cursor.encode(store.epoch(), position), true));
          }
          return;
        }
      }
    } catch (RuleViolation v) {
      fail(endOfStream(v));
    } catch (RuntimeException e) {
      LOG.error(
          "event=subscription_failure peer={} error=\"{}\"", peer.toString(), e.getMessage(), e);
      if (!done) {
        finish();
        call.onError(
            io.grpc.Status.UNAVAILABLE
                .withDescription("the subscription failed; resume from the last cursor")
                .asException());
      }
    }
  }

  /** An open stream ends by R21.3 (draining) or R21.7 (sunset), not by the RPC's own rules. */
  private static RuleViolation endOfStream(RuleViolation v) {
    return switch (v.rule()) {
      case DRAINING ->
          new RuleViolation(
              Rule.DRAINING_ENDS_STREAM, "the node is shutting down; resume from the last cursor");
      case PAST_SUNSET ->
          new RuleViolation(
              Rule.SUNSET_ENDS_STREAM, "the federation agreement ended; exchange is closed");
      default -> v;
    };
  }

  private void send(BatchWire.Encoded response) {
    call.onNext(response);
    lastSentNanos = System.nanoTime();
  }

  private void fail(RuleViolation v) {
    if (!done) {
      finish();
      call.onError(Statuses.toStatus(v));
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    served.ctx().notifier().remove(wake);
    served.ctx().metrics().subscriptionDelta(-1);
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
  }
}
