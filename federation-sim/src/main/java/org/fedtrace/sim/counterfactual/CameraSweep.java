package org.fedtrace.sim.counterfactual;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedtrace.sim.population.Draws;

/**
 * False matches of face recognition as the watched population grows: each search compares an index
 * case's photograph with the faces of {@code watched} people, each comparison a false match with
 * probability {@code falseMatchRate}, so a search gives a binomial number of false matches with
 * mean {@code watched * falseMatchRate} (drawn as its Poisson limit). Beside it, fedtrace: a
 * 128-bit token matches a token it was not derived from with probability 2^-128.
 */
public final class CameraSweep {
  private static final long SWEEP = 70;

  /** The watched populations of the report's sweep. */
  public static final long[] WATCHED = {10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private CameraSweep() {}

  /**
   * One point of the sweep.
   *
   * @param watched [watched_people] faces each search compares with
   * @param expectedPerDay [expected_per_day] searches per day times watched times the rate
   * @param measuredPerDay [measured_per_day] false matches drawn over the run's searches, per day
   */
  public record Point(long watched, double expectedPerDay, double measuredPerDay) {}

  /** False matches drawn for {@code searches} searches among {@code watched} faces. */
  public static long falseMatches(long watched, long searches, double rate, long seed) {
    SplittableRandom r = Draws.random(seed, SWEEP, watched, searches);
    long total = 0;
    for (long i = 0; i < searches; i++) {
      total += Draws.poisson(r, watched * rate);
    }
    return total;
  }

  /** The sweep for {@code searches} searches over {@code days} days. */
  public static List<Point> sweep(long searches, int days, double rate, long seed) {
    List<Point> out = new ArrayList<>();
    for (long n : WATCHED) {
      out.add(
          new Point(
              n,
              (double) searches * n * rate / days,
              (double) falseMatches(n, searches, rate, seed) / days));
    }
    return out;
  }

  /**
   * Expected false matches of fedtrace's matching: every RPI looked up against every observation
   * held, each pair an accidental equality of two 128-bit values with probability 2^-128.
   */
  public static double tokenFalseMatches(double rpisMatched, double observations) {
    return rpisMatched * observations * Math.pow(2, -128);
  }
}
