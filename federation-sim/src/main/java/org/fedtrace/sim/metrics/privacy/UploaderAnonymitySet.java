package org.fedtrace.sim.metrics.privacy;

import java.util.Arrays;
import java.util.List;

/**
 * {@code uploader_anonymity_set_min}: for each published batch with at least one real key, the
 * number of uploads in it that an observer of the batch cannot tell apart: the distinct people
 * whose keys it carries (padding keys add nobody) plus the decoy uploads the node added (spec
 * R23.1: {@code max(0, decoyUploads - people)}). A decoy is random keys shaped like a real upload,
 * so to someone who sees only the batches it is one more person who may have uploaded; the set
 * counts indistinguishable uploads, not people. The metric is the smallest such number over all
 * batches. A value of 1 means some batch carried one person's keys only: whoever learns by other
 * means that this person uploaded in that window can attribute all of the batch's real keys (and
 * the movements they reveal) to them. Decoys do not help against a reader of the transparency log,
 * which counts the real uploads behind each batch (transparency.md §11), nor against a Bluetooth
 * receiver, since decoy keys were never broadcast: {@code uploader_people_min} is the smallest
 * number of real people in a batch, what those two can still learn. In the central scheme each
 * report names one stable pseudonym, so the set is 1 by construction.
 */
public final class UploaderAnonymitySet {
  private UploaderAnonymitySet() {}

  /**
   * The metric over batches given as the owner of each key ({@link NonDiagnosedKeysShared#NOBODY}
   * for padding and decoys), without decoy uploads.
   */
  public static Result of(List<int[]> batchOwners) {
    return of(batchOwners, 1);
  }

  /**
   * The metric over batches given as the owner of each key ({@link NonDiagnosedKeysShared#NOBODY}
   * for padding and decoys), the nodes topping up each batch to {@code decoyUploads} uploads.
   */
  public static Result of(List<int[]> batchOwners, int decoyUploads) {
    int[] people =
        batchOwners.stream()
            .mapToInt(o -> (int) Arrays.stream(o).filter(a -> a >= 0).distinct().count())
            .filter(n -> n > 0)
            .sorted()
            .toArray();
    if (people.length == 0) {
      return new Result(0, 0, 0, 0, 0);
    }
    long decoys = Arrays.stream(people).mapToLong(n -> Math.max(0, decoyUploads - n)).sum();
    int[] sets = Arrays.stream(people).map(n -> Math.max(n, decoyUploads)).toArray();
    return new Result(people.length, sets[0], sets[(sets.length - 1) / 2], people[0], decoys);
  }

  /**
   * The anonymity sets.
   *
   * @param batches batches with at least one real key
   * @param min smallest set (0 when there is no such batch)
   * @param median lower median set size (0 when there is no such batch)
   * @param peopleMin smallest number of real people in such a batch (0 when there is none)
   * @param decoyUploads decoy uploads in these batches
   */
  public record Result(int batches, int min, int median, int peopleMin, long decoyUploads) {}
}
