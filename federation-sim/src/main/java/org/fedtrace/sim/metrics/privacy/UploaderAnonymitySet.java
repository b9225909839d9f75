package org.fedtrace.sim.metrics.privacy;

import java.util.Arrays;
import java.util.List;

/**
 * {@code uploader_anonymity_set_min}: for each published batch with at least one real key, the
 * number of distinct people whose keys it carries (padding keys add nobody); the metric is the
 * smallest such number over all batches. A value of 1 means some batch carried one person's keys
 * only: whoever learns by other means that this person uploaded in that window can attribute all of
 * the batch's real keys (and the movements they reveal) to them. In the central scheme each report
 * names one stable pseudonym, so the set is 1 by construction.
 */
public final class UploaderAnonymitySet {
  private UploaderAnonymitySet() {}

  /**
   * The metric over batches given as the owner of each key ({@link NonDiagnosedKeysShared#NOBODY}
   * for padding).
   */
  public static Result of(List<int[]> batchOwners) {
    int[] sizes =
        batchOwners.stream()
            .mapToInt(o -> (int) Arrays.stream(o).filter(a -> a >= 0).distinct().count())
            .filter(n -> n > 0)
            .sorted()
            .toArray();
    if (sizes.length == 0) {
      return new Result(0, 0, 0);
    }
    return new Result(sizes.length, sizes[0], sizes[(sizes.length - 1) / 2]);
  }

  /**
   * The anonymity sets.
   *
   * @param batches batches with at least one real key
   * @param min smallest set (0 when there is no such batch)
   * @param median lower median set size (0 when there is no such batch)
   */
  public record Result(int batches, int min, int median) {}
}
