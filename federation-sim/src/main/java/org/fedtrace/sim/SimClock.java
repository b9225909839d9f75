package org.fedtrace.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Simulated time: a {@link Clock} that stands still until the simulator moves it forward. Nodes run
 * on it so that a simulated fortnight takes seconds. Thread-safe; views in other zones share the
 * same time.
 */
public final class SimClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock in UTC standing at {@code start}. */
  public SimClock(Instant start) {
    this(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  private SimClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Moves the time forward to {@code time}.
   *
   * @throws IllegalArgumentException if {@code time} is before the current time
   */
  public void advanceTo(Instant time) {
    Instant before = now.getAndAccumulate(time, (a, b) -> b.isBefore(a) ? a : b);
    if (time.isBefore(before)) {
      throw new IllegalArgumentException(
          "simulated time only moves forward: " + time + " is before " + before);
    }
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new SimClock(now, zone);
  }
}
