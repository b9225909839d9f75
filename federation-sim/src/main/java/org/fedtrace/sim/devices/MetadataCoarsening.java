package org.fedtrace.sim.devices;

import java.util.TreeSet;
import org.fedtrace.matching.RiskModel;

/**
 * Metadata coarsening by the apps ({@code privacy.coarsen_metadata}): a key's days since onset of
 * symptoms and transmission risk level enter the risk model only as the product of two factors,
 * {@code T * I} ({@link RiskModel}), which takes five values over the simulator's keys. A coarsened
 * key carries no days since onset ({@code I} is then 1) and a transmission risk level of {@code 8 *
 * T * I}: 6, 4, 2, 1 or 0. Every exposure scores exactly as before, so nobody is notified
 * differently, while a day's keys share one of five metadata values instead of one of 29, which a
 * peer linking one person's keys across days must guess among (spec §23.2).
 *
 * <pre>
 * days since onset   -14..-6  -5..-3  -2..2  3..5  6..9  10..14
 * T (level / 8)        2/8     4/8     6/8   4/8   2/8    2/8
 * I                     0      0.5      1     1    0.5     0
 * coarse level          0       2       6     4     1      0
 * </pre>
 */
public final class MetadataCoarsening {
  private static final int MIN_DSOS = -14;
  private static final int MAX_DSOS = 14;

  private MetadataCoarsening() {}

  /** The simulator's transmission risk level: 6 within two days of onset, 4 within five, else 2. */
  public static int transmissionRiskLevel(int daysSinceOnset) {
    int d = Math.abs(daysSinceOnset);
    return d <= 2 ? 6 : d <= 5 ? 4 : 2;
  }

  /** The coarse level of a key whose days since onset are {@code daysSinceOnset}. */
  public static int level(int daysSinceOnset) {
    double product =
        RiskModel.transmissionFactor(transmissionRiskLevel(daysSinceOnset))
            * RiskModel.infectiousnessFactor(false, daysSinceOnset);
    return (int) Math.round(product * 8);
  }

  /**
   * The coarse levels the key of the day before can have, for a key of level {@code level}: those
   * of {@code d - 1} for every {@code d} of that level (days since onset clipped to -14, as the
   * apps clip it). What a peer that knows this table accepts as a consistent predecessor.
   */
  public static int[] predecessorLevels(int level) {
    TreeSet<Integer> out = new TreeSet<>();
    for (int d = MIN_DSOS; d <= MAX_DSOS; d++) {
      if (level(d) == level) {
        out.add(level(Math.max(MIN_DSOS, d - 1)));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
