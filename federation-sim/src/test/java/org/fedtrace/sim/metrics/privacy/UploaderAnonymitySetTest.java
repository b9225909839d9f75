package org.fedtrace.sim.metrics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UploaderAnonymitySetTest {
  private static final int PAD = NonDiagnosedKeysShared.NOBODY;

  @Test
  void smallestNumberOfDistinctUploadersPerBatch() {
    List<int[]> batches =
        List.of(new int[] {1, 1, 1, PAD, PAD}, new int[] {2, 3, 3, PAD}, new int[] {4, 5, 6, 4});

    assertEquals(new UploaderAnonymitySet.Result(3, 1, 2, 1, 0), UploaderAnonymitySet.of(batches));
  }

  @Test
  void paddingOnlyBatchesAreLeftOut() {
    List<int[]> batches = List.of(new int[] {PAD, PAD}, new int[] {8, 9, PAD});

    assertEquals(new UploaderAnonymitySet.Result(1, 2, 2, 2, 0), UploaderAnonymitySet.of(batches));
  }

  @Test
  void noBatchGivesZeros() {
    assertEquals(
        new UploaderAnonymitySet.Result(0, 0, 0, 0, 0), UploaderAnonymitySet.of(List.of()));
  }

  @Test
  void oneReportPerPersonIsOne() {
    List<int[]> reports = List.of(new int[] {1}, new int[] {2}, new int[] {3});

    assertEquals(new UploaderAnonymitySet.Result(3, 1, 1, 1, 0), UploaderAnonymitySet.of(reports));
  }

  @Test
  void decoyUploadsTopUpEachBatchButPeopleMinCountsOnlyPeople() {
    // batches of 1, 2 and 4 people; the nodes top up to 3 uploads: 2 + 1 + 0 decoys
    List<int[]> batches =
        List.of(
            new int[] {1, 1, PAD, PAD},
            new int[] {2, 3, PAD},
            new int[] {4, 5, 6, 7},
            new int[] {PAD, PAD});

    UploaderAnonymitySet.Result r = UploaderAnonymitySet.of(batches, 3);

    assertEquals(new UploaderAnonymitySet.Result(3, 3, 3, 1, 3), r);
  }

  @Test
  void decoyUploadsOfOneAddNothing() {
    List<int[]> batches = List.of(new int[] {1, PAD}, new int[] {2, 3});

    assertEquals(UploaderAnonymitySet.of(batches), UploaderAnonymitySet.of(batches, 1));
    assertEquals(new UploaderAnonymitySet.Result(2, 1, 1, 1, 0), UploaderAnonymitySet.of(batches));
  }
}
