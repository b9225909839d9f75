package org.fedtrace.node.exchange;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a node's witness rounds run (spec/transparency.md §15.3): on their own few threads, not on
 * the scheduler that pushes and subscriptions share, so that a round waiting on a slow or hanging
 * peer (its calls block up to the channel's deadline) never delays an exchange. At most {@link
 * #THREADS} rounds run at once; the others wait their turn. Each peer's rounds start at their own
 * phase of the interval, so a node that follows a hundred peers does not open a hundred rounds (and
 * TLS handshakes) in the same second. Thread-safe.
 */
final class WitnessRounds implements AutoCloseable {
  /** How many rounds run at once. */
  static final int THREADS = 2;

  /** The fractional part of the golden ratio: successive multiples spread evenly over [0, 1). */
  private static final double GOLDEN = 0.6180339887498949;

  private final ScheduledExecutorService executor;
  private final double offset;
  private final AtomicInteger followed = new AtomicInteger();

  /**
   * @param name names the threads ({@code fedtrace-witness-NAME})
   * @param seed shifts this node's phases, so that the nodes following one peer do not all witness
   *     it at the same moment (the node's identity, say)
   */
  WitnessRounds(String name, long seed) {
    this.executor =
        Executors.newScheduledThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "fedtrace-witness-" + name);
              t.setDaemon(true);
              return t;
            });
    this.offset = offset(seed);
  }

  /** Where in [0, 1) of the interval the phases of the node with {@code seed} start. */
  static double offset(long seed) {
    long mixed = seed * 0x9E3779B97F4A7C15L; // spreads seeds that differ in a few bits
    return (mixed >>> 11) * 0x1.0p-53;
  }

  /**
   * The phase of the {@code k}-th peer a node follows, in milliseconds from when it starts
   * following it, in [0, {@code intervalMillis}): the phases of the first N peers leave no gap
   * wider than about 2.6 intervals / N (they are the fractional parts of {@code offset + k} times
   * the golden ratio).
   */
  static long phaseMillis(int k, long intervalMillis, double offset) {
    double at = offset + k * GOLDEN;
    return Math.min(intervalMillis - 1, (long) ((at - Math.floor(at)) * intervalMillis));
  }

  /**
   * Runs {@code round} every {@code intervalSeconds} (counted from the end of the previous one),
   * the first at the next peer's phase within the first interval.
   */
  ScheduledFuture<?> schedule(Runnable round, long intervalSeconds) {
    long interval = TimeUnit.SECONDS.toMillis(intervalSeconds);
    long first = phaseMillis(followed.getAndIncrement(), interval, offset);
    return executor.scheduleWithFixedDelay(round, first, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits up to {@code timeout} for the threads to end after {@link #close}; whether they all did.
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops the rounds: interrupts those running (their calls end) and starts no more. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
