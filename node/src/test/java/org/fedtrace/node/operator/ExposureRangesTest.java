package org.fedtrace.node.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** How an exposure's matched intervals are kept: as runs of consecutive numbers. */
class ExposureRangesTest {
  @Test
  void intervalsFormRunsOfConsecutiveNumbers() {
    assertArrayEquals(
        new int[] {1, 3, 7, 7, 9, 10}, Findings.ranges(new int[] {1, 2, 3, 7, 9, 10}));
    assertArrayEquals(new int[] {}, Findings.ranges(new int[] {}));
  }
}
