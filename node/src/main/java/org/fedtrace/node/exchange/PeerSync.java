package org.fedtrace.node.exchange;

import com.google.protobuf.ByteString;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.wire.BatchWire;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node in sync with one peer: checks that the peer enforces the same agreement, then
 * subscribes to its batches from the stored cursor and takes each one through {@link Ingest},
 * committing the cursor with the batch. A broken stream is resumed after a {@link Backoff}; a
 * stream that ends at its deadline is resumed at once. Progress survives a restart because the
 * cursor lives in the store, and a move to another replica of the peer because the cursor belongs
 * to the peer's identity: the stream resumes on whichever healthy replica the channel picks.
 */
final class PeerSync {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

  /** Deadline of one subscription stream; the stream is resumed when it expires. */
  static final long STREAM_DEADLINE_SECONDS = 600;

  private static final String DIRECTION = "pull";

  private final PeerChannel peer;
  private final Ingest ingest;
  private final ExchangeContext ctx;
  private final Backoff backoff;
  private volatile boolean stopped;

  PeerSync(PeerChannel peer, Ingest ingest, ExchangeContext ctx, Backoff backoff) {
    this.peer = peer;
    this.ingest = ingest;
    this.ctx = ctx;
    this.backoff = backoff;
  }

  /** Starts syncing in the background. */
  void start() {
    synced();
    ctx.scheduler().execute(this::connect);
  }

  /** Stops syncing and closes the channel. */
  void stop() {
    stopped = true;
    peer.close();
    ctx.metrics().peerUnfollowed(peer.peer().toString(), DIRECTION);
  }

  /** The subscription delivered something: a batch, a cursor or a heartbeat. */
  private void synced() {
    ctx.metrics().peerSynced(peer.peer().toString(), DIRECTION, ctx.clock().instant());
  }

  private void connect() {
    if (!stopped) {
      peer.checkAgreement(this::subscribe, this::retryLater);
    }
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    ByteString cursor;
    try {
      cursor =
          ByteString.copyFrom(
              ctx.store()
                  .read(tx -> tx.cursors().get(peer.peer(), PeerCursor.Direction.PULL))
                  .orElse(new byte[0]));
    } catch (StoreException e) {
      LOG.error("event=store_failure peer={} error=\"{}\"", peer.peer(), e.getMessage());
      retryLater();
      return;
    }
    ClientCall<SubscribeBatchesRequest, BatchWire.Received<SubscribeBatchesResponse>> call =
        peer.channel()
            .newCall(
                BatchWire.SUBSCRIBE_BATCHES_RECEIVED,
                peer.options(STREAM_DEADLINE_SECONDS, TimeUnit.SECONDS));
    ClientCalls.asyncServerStreamingCall(
        call,
        SubscribeBatchesRequest.newBuilder()
            .setCursor(cursor)
            // R21.24: while recovering its numbering, the node asks for its own batches back
            .setIncludeOwnOrigin(ingest.recovering())
            .build(),
        new Stream(call, cursor));
  }

  /** One subscription stream. */
  private final class Stream
      implements StreamObserver<BatchWire.Received<SubscribeBatchesResponse>> {
    private final ClientCall<?, ?> call;
    private ByteString last;
    private boolean held;

    Stream(ClientCall<?, ?> call, ByteString cursor) {
      this.call = call;
      this.last = cursor;
    }

    @Override
    public void onNext(BatchWire.Received<SubscribeBatchesResponse> received) {
      if (held) {
        return; // cancelled below; what the stream still delivers comes again after the backoff
      }
      SubscribeBatchesResponse r = received.message();
      if (r.hasBatch() && !receive(r, received.batchBytes())) {
        // R20.12: refused for the receiver's clock only; the cursor stays before the batch, and
        // the stream resumes from it after a backoff, which the same refusal lengthens
        held = true;
        call.cancel("a transient refusal (R20.11); resuming from before the batch", null);
        retryLater();
        return;
      }
      backoff.reset(); // a batch stored or refused for good moved the cursor with it
      if (!r.hasBatch() && !r.getCursor().equals(last)) {
        putCursor(PeerCursor.pulled(peer.peer(), r.getCursor().toByteArray()));
      }
      last = r.getCursor();
      if (r.getCaughtUp()) {
        ingest.caughtUp(peer.peer());
      }
      synced();
    }

    @Override
    public void onError(Throwable t) {
      if (held) {
        return; // the cancel above; the retry is scheduled
      }
      Status s = Status.fromThrowable(t);
      if (s.getCode() == Status.Code.DEADLINE_EXCEEDED && !stopped) {
        ctx.scheduler().execute(PeerSync.this::subscribe);
        return;
      }
      if (refusedCursor(s) && !last.isEmpty() && !stopped) {
        // R10.12: the peer no longer knows the cursor (it lost or replaced its store): resync
        // from the start; what this node holds already comes again as duplicates (R8.21)
        LOG.warn("event=cursor_reset peer={} status={}", peer.peer(), PeerChannel.describe(t));
        putCursor(PeerCursor.pulled(peer.peer(), new byte[0]));
        ctx.scheduler().execute(PeerSync.this::subscribe);
        return;
      }
      if (!stopped) {
        LOG.warn(
            "event=subscription_broken peer={} status={}", peer.peer(), PeerChannel.describe(t));
      }
      retryLater();
    }

    @Override
    public void onCompleted() {
      if (!stopped) {
        ctx.scheduler().execute(PeerSync.this::subscribe);
      }
    }
  }

  /**
   * Takes a batch of the stream with its cursor.
   *
   * @return false when it was refused transiently (R20.11): the cursor did not move past it
   */
  private boolean receive(SubscribeBatchesResponse r, byte[] batchBytes) {
    PeerCursor next = PeerCursor.pulled(peer.peer(), r.getCursor().toByteArray());
    try {
      ingest.accept(r.getBatch(), batchBytes, peer.peer(), next);
    } catch (RuleViolation v) {
      if (v.isTransient()) {
        return false;
      }
      // refused for good, logged and counted by Ingest; the cursor moves past it
      putCursor(next);
    }
    return true;
  }

  /** Whether the peer refused the stream's cursor as one it did not issue (R10.1). */
  private static boolean refusedCursor(Status s) {
    return s.getCode() == Status.Code.INVALID_ARGUMENT
        && s.getDescription() != null
        && s.getDescription().startsWith(Rule.SUBSCRIBE_CURSOR_MALFORMED.id() + ": ");
  }

  private void putCursor(PeerCursor cursor) {
    ctx.store()
        .write(
            tx -> {
              tx.cursors().put(cursor);
              return null;
            });
  }

  private void retryLater() {
    if (!stopped) {
      ctx.scheduler().schedule(this::reconnect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void reconnect() {
    if (!stopped) {
      peer.retryNow();
      connect();
    }
  }
}
