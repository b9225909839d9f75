package org.fedtrace.sim.metrics;

import java.util.BitSet;

/**
 * Exposure notification against ground truth, counted in people.
 *
 * @param trueExposures people who had a qualifying contact with an index case
 * @param notified people notified at least once
 * @param truePositives notified people who are true exposures
 * @param precision truePositives / notified (NaN when nobody was notified)
 * @param recall truePositives / trueExposures (NaN when there are no true exposures)
 */
public record Accuracy(
    long trueExposures, long notified, long truePositives, double precision, double recall) {
  /** Accuracy of {@code notified} against {@code exposed}. */
  public static Accuracy of(BitSet exposed, BitSet notified) {
    BitSet hits = (BitSet) exposed.clone();
    hits.and(notified);
    long t = exposed.cardinality();
    long n = notified.cardinality();
    long tp = hits.cardinality();
    return new Accuracy(
        t, n, tp, n == 0 ? Double.NaN : (double) tp / n, t == 0 ? Double.NaN : (double) tp / t);
  }
}
