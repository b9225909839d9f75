package org.fedtrace.stats;

import java.util.List;
import java.util.Objects;

/**
 * How a node releases its differentially private statistics (spec transparency.md §16): the privacy
 * loss of one day's release, the total budget it never exceeds, the threshold below which a health
 * authority's figures of a day stay unpublished, the delay before a day is released, the bound on
 * one upload's keys, and the edges of the onset-to-upload delay histogram.
 *
 * @param epsilonPerDay ε of one day's release, split evenly over its five families of counts
 * @param totalEpsilon the most ε all releases together may spend
 * @param minUploads a health authority's figures of a day are published only when its noisy upload
 *     count is at least this
 * @param delayHours a day is released no sooner than this many hours after it ended
 * @param keysPerUploadCap one upload adds at most this many keys to a health authority's key count
 * @param delayBinEdgesDays increasing edges of the delay histogram's bins, in days from 1
 */
public record StatisticsPolicy(
    Epsilon epsilonPerDay,
    Epsilon totalEpsilon,
    int minUploads,
    int delayHours,
    int keysPerUploadCap,
    List<Integer> delayBinEdgesDays) {
  /** The families of counts a day's release holds, each at an equal share of its ε. */
  public static final int FAMILIES = 5;

  /** The most keys one upload may hold (protocol.md R12.3): one person's keys in a batch. */
  public static final int MAX_KEYS_PER_UPLOAD = 64;

  /** The defaults of the node's {@code statistics} section. */
  public static final StatisticsPolicy DEFAULTS =
      new StatisticsPolicy(
          Epsilon.parse("1"), Epsilon.parse("400"), 10, 48, 14, List.of(2, 4, 7, 14));

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public StatisticsPolicy {
    Objects.requireNonNull(epsilonPerDay, "epsilonPerDay");
    Objects.requireNonNull(totalEpsilon, "totalEpsilon");
    delayBinEdgesDays = List.copyOf(delayBinEdgesDays);
    if (totalEpsilon.compareTo(epsilonPerDay) < 0) {
      throw new IllegalArgumentException(
          "totalEpsilon "
              + totalEpsilon
              + " is less than one day's epsilonPerDay "
              + epsilonPerDay);
    }
    if (minUploads < 0 || minUploads > 1_000_000) {
      throw new IllegalArgumentException("minUploads: expected 0..1000000, got " + minUploads);
    }
    if (delayHours < 24 || delayHours > 24 * 60) {
      throw new IllegalArgumentException("delayHours: expected 24..1440, got " + delayHours);
    }
    if (keysPerUploadCap < 1 || keysPerUploadCap > MAX_KEYS_PER_UPLOAD) {
      throw new IllegalArgumentException(
          "keysPerUploadCap: expected 1.." + MAX_KEYS_PER_UPLOAD + ", got " + keysPerUploadCap);
    }
    int last = 0;
    for (int edge : delayBinEdgesDays) {
      if (edge <= last || edge > 60) {
        throw new IllegalArgumentException(
            "delayBinEdgesDays: expected increasing days in 1..60, got " + delayBinEdgesDays);
      }
      last = edge;
    }
  }

  /** ε of each family of counts in one day's release. */
  public Epsilon epsilonPerFamily() {
    return new Epsilon(epsilonPerDay.num(), Math.multiplyExact(epsilonPerDay.den(), FAMILIES));
  }

  /** The names of the delay histogram's bins, such as {@code 0-1}, {@code 14+} and unknown. */
  public List<String> delayBins() {
    List<String> out = new java.util.ArrayList<>();
    int from = 0;
    for (int edge : delayBinEdgesDays) {
      out.add(edge - 1 == from ? Integer.toString(from) : from + "-" + (edge - 1));
      from = edge;
    }
    out.add(from + "+");
    out.add(UNKNOWN_DELAY);
    return out;
  }

  /** The bin of an upload without a key that gives its onset, or with an onset after it. */
  public static final String UNKNOWN_DELAY = "unknown";

  /** The bin of an upload {@code days} days after the onset of symptoms. */
  public String delayBin(long days) {
    List<String> bins = delayBins();
    if (days < 0) {
      return UNKNOWN_DELAY;
    }
    for (int i = 0; i < delayBinEdgesDays.size(); i++) {
      if (days < delayBinEdgesDays.get(i)) {
        return bins.get(i);
      }
    }
    return bins.get(delayBinEdgesDays.size());
  }
}
