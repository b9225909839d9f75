package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SimClockTest {
  private static final Instant T0 = Instant.parse("2021-03-01T00:00:00Z");

  @Test
  void standsStillUntilAdvancedAndViewsShareTheTime() {
    SimClock clock = new SimClock(T0);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advanceTo(T0.plusSeconds(3600));

    assertEquals(T0.plusSeconds(3600), clock.instant());
    assertEquals(T0.plusSeconds(3600), paris.instant());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
  }

  @Test
  void neverGoesBack() {
    SimClock clock = new SimClock(T0.plusSeconds(60));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(T0));
    assertEquals(
        "simulated time only moves forward: 2021-03-01T00:00:00Z is before 2021-03-01T00:01:00Z",
        e.getMessage());
    assertEquals(T0.plusSeconds(60), clock.instant());
  }
}
