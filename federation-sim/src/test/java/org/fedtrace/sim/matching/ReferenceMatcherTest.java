package org.fedtrace.sim.matching;

class ReferenceMatcherTest extends MatcherContractTest {
  @Override
  ExposureMatcher matcher() {
    return new ReferenceMatcher();
  }

  @Override
  String periodZeroMessage() {
    return "rolling_period must be in 1..144, got 0";
  }
}
