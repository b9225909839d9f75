package org.fedtrace.sim.matching;

class EngineMatcherTest extends MatcherContractTest {
  @Override
  ExposureMatcher matcher() {
    return new EngineMatcher();
  }

  @Override
  String periodZeroMessage() {
    return "key 0: rolling period must be in 1..144, got 0";
  }
}
