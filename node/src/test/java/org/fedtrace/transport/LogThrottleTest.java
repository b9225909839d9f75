package org.fedtrace.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A flood of refused handshakes logs one line a second per kind, and says how many it left out. */
class LogThrottleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void logsOneLineAPeriodPerKeyAndCountsTheRest() {
    AtomicLong now = new AtomicLong(5 * SECOND);
    LogThrottle t = new LogThrottle(SECOND, now::get);

    assertEquals(0, t.admit("client/expired"));
    for (int i = 0; i < 1000; i++) {
      assertEquals(-1, t.admit("client/expired"));
    }
    assertEquals(0, t.admit("client/revoked"), "another kind has its own line");
    now.addAndGet(SECOND / 2);
    assertEquals(-1, t.admit("client/expired"));
    now.addAndGet(SECOND / 2);
    assertEquals(1001, t.admit("client/expired"), "the next line reports what it left out");
    assertEquals(-1, t.admit("client/expired"));
  }
}
