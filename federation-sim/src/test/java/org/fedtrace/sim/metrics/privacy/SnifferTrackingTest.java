package org.fedtrace.sim.metrics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnifferTrackingTest {
  @Test
  void tracksPeopleWithEnoughVisitsHeard() {
    Set<Integer> receivers = Set.of(10, 20);
    List<int[]> visits =
        List.of(
            new int[] {10, 20, 30, 40}, // 2 of 4 heard: at the threshold, tracked
            new int[] {10, 30, 40, 50}, // 1 of 4: not tracked
            new int[] {20, 20, 20}, // 3 of 3: tracked
            new int[] {}); // no visits: left out

    SnifferTracking.Result r = SnifferTracking.of(visits, receivers::contains, 0.5);

    assertEquals(new SnifferTracking.Result(3, 2, 2.0 / 3), r);
  }

  @Test
  void everyPlaceObservedTracksEverybody() {
    List<int[]> visits = List.of(new int[] {1}, new int[] {2, 3});

    assertEquals(new SnifferTracking.Result(2, 2, 1.0), SnifferTracking.of(visits, p -> true, 1.0));
  }

  @Test
  void noReceiversTrackNobody() {
    List<int[]> visits = List.of(new int[] {1, 2});

    assertEquals(
        new SnifferTracking.Result(1, 0, 0.0), SnifferTracking.of(visits, p -> false, 0.1));
  }

  @Test
  void nobodyGivesZero() {
    assertEquals(
        new SnifferTracking.Result(0, 0, 0.0), SnifferTracking.of(List.of(), p -> true, 1));
  }
}
