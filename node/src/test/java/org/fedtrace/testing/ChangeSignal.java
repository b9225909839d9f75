package org.fedtrace.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a test wait until a condition holds, re-checking it only when something it depends on has
 * changed (a store committed, a log record arrived), not on a timer.
 */
public final class ChangeSignal {
  private long changes;

  /** Records a change and wakes every waiter. */
  public synchronized void changed() {
    changes++;
    notifyAll();
  }

  /**
   * Waits until {@code condition} holds, checking it now and after every change.
   *
   * @throws AssertionError naming {@code what} when it still does not hold after {@code timeout}
   */
  public void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (this) {
        seen = changes;
      }
      // outside the lock: the condition may call a node, whose commits signal this
      if (condition.getAsBoolean()) {
        return;
      }
      synchronized (this) {
        while (changes == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("timed out waiting until " + what);
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    }
  }
}
