package org.fedtrace.sim.metrics.privacy;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * {@code sniffer_tracking_success}: the share of index cases whose movements an adversary
 * reconstructs. The adversary has Bluetooth receivers at a share of places (chosen by the seed);
 * once a person's keys are published it derives their RPIs and finds every visit a receiver heard.
 * A person counts as tracked when the receivers heard at least {@code reconstructShare} of their
 * visits during the days their keys cover (an upper bound: it assumes the adversary links their
 * daily keys). People without visits in those days are left out. In the central scheme the tracker
 * holds every visit of every subscriber, which is the same computation with every place observed.
 */
public final class SnifferTracking {
  private SnifferTracking() {}

  /**
   * The metric.
   *
   * @param visitedPlaces per index case, the places of their visits during the covered days
   * @param observed whether a place has a receiver
   */
  public static Result of(
      List<int[]> visitedPlaces, IntPredicate observed, double reconstructShare) {
    int people = 0;
    int tracked = 0;
    for (int[] places : visitedPlaces) {
      if (places.length == 0) {
        continue;
      }
      people++;
      int seen = 0;
      for (int p : places) {
        if (observed.test(p)) {
          seen++;
        }
      }
      if (seen >= reconstructShare * places.length) {
        tracked++;
      }
    }
    return new Result(people, tracked, people == 0 ? 0 : (double) tracked / people);
  }

  /**
   * Tracking results.
   *
   * @param people index cases with at least one visit in their covered days
   * @param tracked of those, the ones whose movements were reconstructed
   * @param success tracked / people (0 when nobody)
   */
  public record Result(int people, int tracked, double success) {}
}
