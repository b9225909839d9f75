package org.fedtrace.bench;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Start and end times of calls, by request: what {@link #send} records while it makes unary calls
 * of pre-serialized requests with a bounded number in flight, and the rates and latencies they
 * give.
 */
record Calls(long[] starts, long[] ends) {
  /** Sends one serialized request on a channel. */
  @FunctionalInterface
  interface Sender<R> {
    void send(Channel channel, byte[] request, StreamObserver<R> out);
  }

  /** Units per second from the start of call {@code from} to the end of call {@code to - 1}. */
  double rate(int from, int to, long unitsPerCall) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = from; i < to; i++) {
      first = Math.min(first, starts[i]);
      last = Math.max(last, ends[i]);
    }
    return (to - from) * unitsPerCall / ((last - first) / 1e9);
  }

  double latencyMillis(double percentile) {
    long[] l = new long[starts.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = ends[i] - starts[i];
    }
    Arrays.sort(l);
    int i = (int) Math.min(l.length - 1, Math.ceil(percentile * l.length) - 1);
    return l[Math.max(0, i)] / 1e6;
  }

  /**
   * Sends every request, {@code inFlight} calls at a time, and waits for every answer; each answer
   * must pass {@code good}.
   */
  static <R> Calls send(
      Channel channel, List<byte[]> requests, int inFlight, Sender<R> sender, Predicate<R> good)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] starts = new long[requests.size()];
    long[] ends = new long[requests.size()];
    for (int i = 0; i < requests.size() && failure.get() == null; i++) {
      slots.acquire();
      int n = i;
      starts[n] = System.nanoTime();
      sender.send(
          channel,
          requests.get(n),
          new StreamObserver<>() {
            @Override
            public void onNext(R r) {
              if (!good.test(r)) {
                failure.compareAndSet(null, new IllegalStateException("unexpected answer " + r));
              }
            }

            @Override
            public void onError(Throwable t) {
              failure.compareAndSet(null, t);
              slots.release();
            }

            @Override
            public void onCompleted() {
              ends[n] = System.nanoTime();
              slots.release();
            }
          });
    }
    slots.acquire(inFlight);
    slots.release(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException(
          "a call failed: " + Status.fromThrowable(failure.get()), failure.get());
    }
    return new Calls(starts, ends);
  }
}
