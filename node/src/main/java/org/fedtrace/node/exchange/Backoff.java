package org.fedtrace.node.exchange;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries of work that failed and may succeed later (spec R20.9): exponential with
 * full jitter, a random time between 0 and {@code min(max, initial × 2^(failures-1))}. One per
 * retried job; not thread-safe.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int failures;

  /**
   * @param initialMillis the ceiling after the first failure
   * @param maxMillis the largest ceiling
   */
  public Backoff(long initialMillis, long maxMillis) {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("need 1 <= initial <= max milliseconds");
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
  }

  /** Counts a failure and returns how long to wait before the next try, at least 1 ms. */
  public long nextDelayMillis() {
    failures = Math.min(failures + 1, 30);
    long ceiling = Math.min(maxMillis, initialMillis << Math.min(failures - 1, 20));
    return Math.max(1, (long) (ThreadLocalRandom.current().nextDouble() * ceiling));
  }

  /** A success: the next failure starts from the initial ceiling again. */
  public void reset() {
    failures = 0;
  }
}
