package org.fedtrace.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one log line per key and period: a client that opens refused handshakes as fast as it can
 * must not fill the operator's disk with the node's log. The lines left out are counted and
 * reported with the next line of the same key; metrics count every event regardless.
 */
final class LogThrottle {
  private final long periodNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** One line per key every {@code periodNanos}, on the clock {@code nanoTime}. */
  LogThrottle(long periodNanos, LongSupplier nanoTime) {
    this.periodNanos = periodNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Whether a line of {@code key} may be logged now: -1 when not (it is counted as left out), else
   * the number of lines of that key left out since the last one logged.
   */
  long admit(String key) {
    long now = nanoTime.getAsLong();
    Window w = windows.computeIfAbsent(key, k -> new Window(now - periodNanos));
    synchronized (w) {
      if (now - w.lastLogged < periodNanos) {
        w.leftOut.incrementAndGet();
        return -1;
      }
      w.lastLogged = now;
      return w.leftOut.getAndSet(0);
    }
  }

  private static final class Window {
    long lastLogged;
    final AtomicLong leftOut = new AtomicLong();

    Window(long lastLogged) {
      this.lastLogged = lastLogged;
    }
  }
}
