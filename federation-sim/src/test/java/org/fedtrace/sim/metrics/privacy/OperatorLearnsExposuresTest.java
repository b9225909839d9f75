package org.fedtrace.sim.metrics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.fedtrace.sim.scenario.MatchingMode;
import org.junit.jupiter.api.Test;

class OperatorLearnsExposuresTest {
  private static BitSet people(int... ids) {
    BitSet b = new BitSet();
    for (int id : ids) {
      b.set(id);
    }
    return b;
  }

  @Test
  void deviceMatchingTellsTheOperatorNothing() {
    assertEquals(0, OperatorLearnsExposures.federated(MatchingMode.DEVICE, people(1, 2, 3)));
  }

  @Test
  void operatorMatchingLearnsEveryMatchedPerson() {
    assertEquals(3, OperatorLearnsExposures.federated(MatchingMode.OPERATOR, people(1, 2, 9)));
  }

  @Test
  void theCentralTrackerLearnsEverybodyItNotifies() {
    assertEquals(4, OperatorLearnsExposures.central(people(0, 5, 6, 7)));
  }
}
