package org.fedtrace.bench;

/**
 * One round's figures in the match phase of the matching benchmark, filled in as the round is
 * timed; seconds are wall clock, CPU is the whole process's.
 */
final class MatchRound {
  long rpis;
  double nodeSeconds;
  double nodeCpu;
  long nodeGcMillis;
  double engineSeconds;
  double engineCpu;
  long engineGcMillis;
  double deriveSeconds;
  double readSeconds;
  double parseSeconds;
  double keyBatchSeconds;
}
