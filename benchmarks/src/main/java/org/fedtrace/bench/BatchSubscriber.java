package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;

/**
 * The pulling member of the ingest benchmark: subscribes to a node's batches from the beginning and
 * receives every one, parsed, until the stream reports caught up.
 */
final class BatchSubscriber {
  private BatchSubscriber() {}

  /**
   * Subscribes from the beginning and receives until the stream reports caught up.
   *
   * @throws IllegalStateException when the call fails or other than {@code expectedKeys} arrive
   */
  static void receiveAll(ManagedChannel ch, long expectedKeys) throws InterruptedException {
    AtomicLong received = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    FederationGrpc.newStub(ch)
        .withDeadlineAfter(10, TimeUnit.MINUTES)
        .subscribeBatches(
            SubscribeBatchesRequest.getDefaultInstance(),
            new ClientResponseObserver<SubscribeBatchesRequest, SubscribeBatchesResponse>() {
              private ClientCallStreamObserver<SubscribeBatchesRequest> call;

              @Override
              public void beforeStart(ClientCallStreamObserver<SubscribeBatchesRequest> call) {
                this.call = call;
              }

              @Override
              public void onNext(SubscribeBatchesResponse r) {
                if (r.hasBatch()) {
                  received.addAndGet(r.getBatch().getKeysCount());
                }
                if (r.getCaughtUp()) {
                  call.cancel("caught up", null);
                  done.countDown();
                }
              }

              @Override
              public void onError(Throwable t) {
                if (done.getCount() > 0) {
                  failure.set(t);
                  done.countDown();
                }
              }

              @Override
              public void onCompleted() {
                done.countDown();
              }
            });
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException(
          "SubscribeBatches failed: " + Status.fromThrowable(failure.get()), failure.get());
    }
    if (received.get() != expectedKeys) {
      throw new IllegalStateException(
          "received " + received.get() + " keys, expected " + expectedKeys);
    }
  }
}
