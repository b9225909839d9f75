package org.fedtrace.sim.report;

import java.util.List;

/**
 * The error of the node's differentially private statistics (spec transparency.md §16) against the
 * run's ground truth, for a sweep of ε: each family of counts released with the node's own
 * mechanism ({@code org.fedtrace.stats.DailyRelease}) from the true counts, several times.
 *
 * @param repetitions releases of every day per ε
 * @param rows one per ε and family
 */
public record DpError(int repetitions, List<Row> rows) {
  /** The ε of the sweep, per day. */
  public static final List<String> EPSILONS = List.of("0.1", "0.5", "1", "2", "5");

  /** Copies the list. */
  public DpError {
    rows = List.copyOf(rows);
  }

  /**
   * One family at one ε.
   *
   * @param epsilon ε per day (a fifth of it per family)
   * @param family ha_uploads, ha_keys, pair_batches or pair_keys
   * @param cells cell-days released per repetition
   * @param trueTotal the sum of the true counts of those cells
   * @param meanAbsoluteError mean |released − true| over cells and repetitions
   * @param expectedAbsoluteError E|Z| of the family's noise, 2p/(1 − p²) with p = exp(−ε_f/Δ_f)
   * @param relativeError Σ|released − true| / Σ true, over cells and repetitions (NaN when the true
   *     counts are all 0)
   */
  public record Row(
      String epsilon,
      String family,
      long cells,
      long trueTotal,
      double meanAbsoluteError,
      double expectedAbsoluteError,
      double relativeError) {}
}
