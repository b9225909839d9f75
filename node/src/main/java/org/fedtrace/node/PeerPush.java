package org.fedtrace.node;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
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
 * with a code that may succeed later (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL)
 * is retried after an exponential backoff with full jitter (R20.9); a batch the peer refused for
 * good is skipped and logged (R20.8). Before pushing over a connection that was idle, it checks
 * with GetNodeInfo that the peer enforces the same agreement (R7.9, R7.10).
 *
 * <p>The channel may close when idle, so a node configured with many push peers holds open
 * connections only to those it is pushing to.
 */
final class PeerPush {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPush.class);
  private static final int PAGE = 32;
  private static final Set<Status.Code> RETRY =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.INTERNAL,
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN);

  private final OperatorIdentity peer;
  private final ManagedChannel channel;
  private final NodeServices services;
  private final byte[] agreementSha256;
  private final long deadlineMillis;
  private final long retryInitialMillis;
  private final long retryMaxMillis;
  private final Random jitter;
  private final Runnable wake = this::schedule;
  private boolean scheduled;
  private boolean inFlight;
  private boolean stopped;
  private int failures;

  PeerPush(
      OperatorIdentity peer,
      ManagedChannel channel,
      NodeServices services,
      byte[] agreementSha256,
      long deadlineMillis,
      long retryInitialMillis,
      long retryMaxMillis,
      Random jitter) {
    this.peer = peer;
    this.channel = channel;
    this.services = services;
    this.agreementSha256 = agreementSha256.clone();
    this.deadlineMillis = deadlineMillis;
    this.retryInitialMillis = retryInitialMillis;
    this.retryMaxMillis = retryMaxMillis;
    this.jitter = jitter;
  }

  /** Starts pushing what is due now and whatever is stored later. */
  void start() {
    services.notifier().add(wake);
    schedule();
  }

  /** Stops pushing and closes the channel. */
  synchronized void stop() {
    stopped = true;
    services.notifier().remove(wake);
    channel.shutdownNow();
  }

  private synchronized void schedule() {
    if (!stopped && !scheduled && !inFlight) {
      scheduled = true;
      services.scheduler().execute(this::next);
    }
  }

  private synchronized void next() {
    scheduled = false;
    if (stopped || inFlight || services.lifecycle().pastSunset()) {
      return;
    }
    long position = position();
    Page page =
        services
            .store()
            .read(tx -> tx.batches().servableAfter(position, PAGE, services.recipient(peer)));
    if (page.batches().isEmpty()) {
      if (page.lastPosition() != position) {
        // a page of batches this peer does not get is not the end of the store: look further
        // now, not when some other batch happens to be stored
        savePosition(page.lastPosition());
        schedule();
      }
      return;
    }
    inFlight = true;
    if (channel.getState(false) == ConnectivityState.IDLE) {
      checkAgreementThenPush(page.batches().get(0));
    } else {
      push(page.batches().get(0));
    }
  }

  private FederationGrpc.FederationStub stub() {
    return FederationGrpc.newStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  private void checkAgreementThenPush(StoredBatch batch) {
    stub()
        .getNodeInfo(
            GetNodeInfoRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(GetNodeInfoResponse info) {
                if (!Arrays.equals(info.getAgreementSha256().toByteArray(), agreementSha256)) {
                  LOG.error(
                      "event=agreement_mismatch peer={} their_federation=\"{}\"",
                      peer,
                      info.getFederation());
                  retryLater();
                } else {
                  push(batch);
                }
              }

              @Override
              public void onError(Throwable t) {
                LOG.warn("event=peer_unreachable peer={} status={}", peer, Status.fromThrowable(t));
                retryLater();
              }

              @Override
              public void onCompleted() {}
            });
  }

  private void push(StoredBatch stored) {
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            BatchWire.PUBLISH_STORED,
            CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)),
        BatchWire.publish(stored),
        new StreamObserver<PublishBatchResponse>() {
          @Override
          public void onNext(PublishBatchResponse r) {}

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            if (RETRY.contains(s.getCode())) {
              LOG.warn("event=push_deferred peer={} status={}", peer, s.getCode());
              retryLater();
              return;
            }
            LOG.warn(
                "event=push_refused peer={} origin={} status={} message=\"{}\"",
                peer,
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
    failures = 0;
    services
        .store()
        .write(
            tx -> {
              tx.cursors().put(PeerCursor.pushed(peer, stored.position()));
              services.logSent(tx, stored, peer);
              return null;
            });
    inFlight = false;
    schedule();
  }

  /** The peer refused {@code stored} for good: move past it without logging a delivery. */
  private synchronized void skipped(StoredBatch stored) {
    failures = 0;
    savePosition(stored.position());
    inFlight = false;
    schedule();
  }

  private synchronized void retryLater() {
    inFlight = false;
    if (stopped) {
      return;
    }
    failures = Math.min(failures + 1, 30);
    long ceiling = Math.min(retryMaxMillis, retryInitialMillis << Math.min(failures - 1, 20));
    long delay = Math.max(1, (long) (jitter.nextDouble() * ceiling));
    services.scheduler().schedule(this::schedule, delay, TimeUnit.MILLISECONDS);
  }

  private long position() {
    return services
        .store()
        .read(tx -> tx.cursors().get(peer, PeerCursor.Direction.PUSH))
        .map(PeerCursor::position)
        .orElse(0L);
  }

  private void savePosition(long position) {
    services.store().write(tx -> putPosition(tx, position));
  }

  private Void putPosition(org.fedtrace.store.Transaction tx, long position) {
    tx.cursors().put(PeerCursor.pushed(peer, position));
    return null;
  }
}
