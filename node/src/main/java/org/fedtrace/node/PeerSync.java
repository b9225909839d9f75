package org.fedtrace.node;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node in sync with one peer: checks that the peer enforces the same agreement, then
 * subscribes to its batches from the stored cursor and takes each one through {@link Ingest},
 * committing the cursor with the batch. A broken stream is resumed after an exponential backoff
 * with full jitter; a stream that ends at its deadline is resumed at once. Progress survives a
 * restart because the cursor lives in the store.
 */
final class PeerSync {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

  /** Deadline of one subscription stream; the stream is resumed when it expires. */
  static final long STREAM_DEADLINE_SECONDS = 600;

  private final OperatorIdentity peer;
  private final ManagedChannel channel;
  private final Store store;
  private final Ingest ingest;
  private final byte[] agreementSha256;
  private final long deadlineMillis;
  private final long retryInitialMillis;
  private final long retryMaxMillis;
  private final ScheduledExecutorService scheduler;
  private final Random jitter;
  private volatile boolean stopped;
  private int failures;
  private volatile long batchesReceived;

  PeerSync(
      OperatorIdentity peer,
      ManagedChannel channel,
      Store store,
      Ingest ingest,
      byte[] agreementSha256,
      long deadlineMillis,
      long retryInitialMillis,
      long retryMaxMillis,
      ScheduledExecutorService scheduler,
      Random jitter) {
    this.peer = peer;
    this.channel = channel;
    this.store = store;
    this.ingest = ingest;
    this.agreementSha256 = agreementSha256.clone();
    this.deadlineMillis = deadlineMillis;
    this.retryInitialMillis = retryInitialMillis;
    this.retryMaxMillis = retryMaxMillis;
    this.scheduler = scheduler;
    this.jitter = jitter;
  }

  /** Starts syncing in the background. */
  void start() {
    scheduler.execute(this::connect);
  }

  /** Stops syncing and closes the channel. */
  void stop() {
    stopped = true;
    channel.shutdownNow();
  }

  /** The peer this sync follows. */
  OperatorIdentity peer() {
    return peer;
  }

  /** Batches received from this peer since start (accepted, duplicate or refused). */
  long batchesReceived() {
    return batchesReceived;
  }

  private FederationGrpc.FederationStub stub() {
    return FederationGrpc.newStub(channel);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    stub()
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .getNodeInfo(
            GetNodeInfoRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(GetNodeInfoResponse info) {
                if (!Arrays.equals(info.getAgreementSha256().toByteArray(), agreementSha256)) {
                  LOG.error(
                      "event=agreement_mismatch peer={} their_federation=\"{}\" their_retention={}"
                          + " their_sunset={}",
                      peer.toString(),
                      info.getFederation(),
                      info.getRetentionDays(),
                      info.getSunsetDate());
                  retryLater();
                  return;
                }
                subscribe();
              }

              @Override
              public void onError(Throwable t) {
                LOG.warn("event=peer_unreachable peer={} status={}", peer.toString(), describe(t));
                retryLater();
              }

              @Override
              public void onCompleted() {}
            });
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    ByteString cursor;
    try {
      cursor =
          ByteString.copyFrom(
              store
                  .read(tx -> tx.cursors().get(peer, PeerCursor.Direction.PULL))
                  .orElse(new byte[0]));
    } catch (StoreException e) {
      LOG.error("event=store_failure peer={} error=\"{}\"", peer.toString(), e.getMessage());
      retryLater();
      return;
    }
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(
            BatchWire.SUBSCRIBE_BATCHES_RECEIVED,
            CallOptions.DEFAULT.withDeadlineAfter(STREAM_DEADLINE_SECONDS, TimeUnit.SECONDS)),
        SubscribeBatchesRequest.newBuilder().setCursor(cursor).build(),
        new StreamObserver<BatchWire.Received<SubscribeBatchesResponse>>() {
          private ByteString last = cursor;

          @Override
          public void onNext(BatchWire.Received<SubscribeBatchesResponse> received) {
            failures = 0;
            SubscribeBatchesResponse r = received.message();
            if (r.hasBatch()) {
              batchesReceived++;
              receive(r, received.batchBytes());
            } else if (!r.getCursor().equals(last)) {
              putCursor(PeerCursor.pulled(peer, r.getCursor().toByteArray()));
            }
            last = r.getCursor();
          }

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            if (s.getCode() == Status.Code.DEADLINE_EXCEEDED && !stopped) {
              scheduler.execute(PeerSync.this::subscribe);
              return;
            }
            if (!stopped) {
              LOG.warn("event=subscription_broken peer={} status={}", peer.toString(), describe(t));
            }
            retryLater();
          }

          @Override
          public void onCompleted() {
            if (!stopped) {
              scheduler.execute(PeerSync.this::subscribe);
            }
          }
        });
  }

  private void receive(SubscribeBatchesResponse r, byte[] batchBytes) {
    PeerCursor next = PeerCursor.pulled(peer, r.getCursor().toByteArray());
    try {
      ingest.accept(r.getBatch(), batchBytes, peer, next);
    } catch (RuleViolation v) {
      // refused, logged and counted by Ingest; the cursor moves past it
      putCursor(next);
    }
  }

  private void putCursor(PeerCursor cursor) {
    store.write(
        tx -> {
          tx.cursors().put(cursor);
          return null;
        });
  }

  private void retryLater() {
    if (stopped) {
      return;
    }
    failures = Math.min(failures + 1, 30);
    long ceiling = Math.min(retryMaxMillis, retryInitialMillis << Math.min(failures - 1, 20));
    long delay = Math.max(1, (long) (jitter.nextDouble() * ceiling));
    scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    return s.getCode() + (s.getDescription() == null ? "" : " \"" + s.getDescription() + "\"");
  }
}
