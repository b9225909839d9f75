package org.fedtrace.sim.metrics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NonDiagnosedKeysSharedTest {
  private static final int NOBODY = NonDiagnosedKeysShared.NOBODY;

  @Test
  void countsItemsOfPeopleNeverDiagnosed() {
    Set<Integer> diagnosed = Set.of(1, 3);
    int[] owners = {1, 2, NOBODY, 3, 2, 4};

    assertEquals(3, NonDiagnosedKeysShared.count(IntStream.of(owners), diagnosed::contains));
  }

  @Test
  void paddingAndDiagnosedPeopleCountNothing() {
    int[] owners = {NOBODY, NOBODY, 7, 7};

    assertEquals(0, NonDiagnosedKeysShared.count(IntStream.of(owners), a -> a == 7));
  }

  @Test
  void nothingSharedCountsZero() {
    assertEquals(0, NonDiagnosedKeysShared.count(IntStream.empty(), a -> false));
  }
}
