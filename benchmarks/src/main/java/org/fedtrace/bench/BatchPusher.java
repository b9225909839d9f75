package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * The origin's side of the ingest benchmark: pushes pre-serialized PublishBatch requests with a
 * fixed number of calls in flight and keeps the acknowledgement latencies of the last push.
 */
final class BatchPusher {
  private final int streams;

  /** Acknowledgement latencies of the last push, sorted; null once taken. */
  private long[] lastLatencies;

  /** A pusher keeping {@code streams} PublishBatch calls in flight. */
  BatchPusher(int streams) {
    this.streams = streams;
  }

  /**
   * Pushes every request of {@code source}, {@link #streams} calls in flight, spread over the
   * channels; each call's answer comes after the batch is committed.
   *
   * @return the number of batches pushed
   */
  long push(List<ManagedChannel> channels, Iterator<byte[]> source) throws InterruptedException {
    Push push = new Push(source);
    for (int s = 0; s < streams; s++) {
      push.sendNext(channels.get(s % channels.size()));
    }
    if (!push.done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("push did not finish within 30 minutes");
    }
    if (push.failure.get() != null) {
      throw new IllegalStateException(
          "PublishBatch failed: " + Status.fromThrowable(push.failure.get()), push.failure.get());
    }
    lastLatencies = push.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return lastLatencies.length;
  }

  /**
   * The sorted acknowledgement latencies of the last push in nanoseconds, or null when there was
   * none since they were last taken.
   */
  long[] takeLatencies() {
    long[] taken = lastLatencies;
    lastLatencies = null;
    return taken;
  }

  /** The calls of one push: each completed call sends the next request. */
  private final class Push {
    final Iterator<byte[]> source;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    final CountDownLatch done = new CountDownLatch(streams);

    Push(Iterator<byte[]> source) {
      this.source = source;
    }

    void sendNext(ManagedChannel ch) {
      byte[] request;
      synchronized (source) {
        request = failure.get() == null && source.hasNext() ? source.next() : null;
      }
      if (request == null) {
        done.countDown();
        return;
      }
      long start = System.nanoTime();
      RawRequests.publish(
          ch,
          request,
          new StreamObserver<>() {
            @Override
            public void onNext(PublishBatchResponse r) {
              if (r.getDuplicate()) {
                failure.compareAndSet(null, new IllegalStateException("a batch was a duplicate"));
              }
            }

            @Override
            public void onError(Throwable t) {
              failure.compareAndSet(null, t);
              done.countDown();
            }

            @Override
            public void onCompleted() {
              latencies.add(System.nanoTime() - start);
              sendNext(ch);
            }
          });
    }
  }
}
