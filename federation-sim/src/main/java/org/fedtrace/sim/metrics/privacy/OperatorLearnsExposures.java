package org.fedtrace.sim.metrics.privacy;

import java.util.BitSet;
import org.fedtrace.sim.scenario.MatchingMode;

/**
 * {@code operator_learns_exposures}: the number of people of whom an operator (or the central
 * tracker) learns that they were exposed. In device mode phones match locally and the operator
 * learns nobody's status; in operator mode the home node matches and learns every person for whom
 * it holds at least one exposure (notified or not), which the simulator reads from the nodes'
 * GetExposures answers; the central tracker computes and so learns every exposure it notifies.
 */
public final class OperatorLearnsExposures {
  private OperatorLearnsExposures() {}

  /**
   * The federated metric: {@code matched} holds the people with at least one match (in operator
   * mode, an exposure their home node holds).
   */
  public static long federated(MatchingMode mode, BitSet matched) {
    return mode == MatchingMode.DEVICE ? 0 : matched.cardinality();
  }

  /** The central metric: {@code notified} holds the people the tracker notified. */
  public static long central(BitSet notified) {
    return notified.cardinality();
  }
}
