package org.fedtrace.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One day's release (spec transparency.md §16): every cell of a fixed set, named by the health
 * authorities and member countries and never by the data, gets discrete Laplace noise once, at the
 * scale its family's sensitivity over its share of ε requires. A health authority's row is marked
 * published only when its noisy upload count reaches the policy's threshold, a decision made on
 * noisy figures alone, so the threshold spends no privacy.
 */
public final class DailyRelease {
  /** The mechanism, as releases name it. */
  public static final String MECHANISM = "discrete Laplace";

  private final StatisticsPolicy policy;
  private final ExactSampler sampler;

  /** Releases under {@code policy} with noise from {@code sampler}. */
  public DailyRelease(StatisticsPolicy policy, ExactSampler sampler) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sampler = Objects.requireNonNull(sampler, "sampler");
  }

  /** A health authority's noisy figures of the day. */
  public record AuthorityRow(
      String authority, boolean published, long uploads, long keys, Map<String, Long> delays) {
    /** Copies the histogram, keeping its order. */
    public AuthorityRow {
      delays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(delays));
    }
  }

  /** A country pair's noisy figures of the day. */
  public record PairRow(String from, String to, long batches, long keys) {}

  /** What one day's release holds. */
  public record Release(
      LocalDate day, Epsilon epsilon, List<AuthorityRow> authorities, List<PairRow> pairs) {
    /** Copies the lists. */
    public Release {
      authorities = List.copyOf(authorities);
      pairs = List.copyOf(pairs);
    }
  }

  /** The sensitivity of each family: how much one upload changes the family's cells in total. */
  public record Sensitivities(
      long uploads, long keys, long delays, long pairBatches, long pairKeys) {
    /** For a federation of {@code members} countries under {@code policy}. */
    public static Sensitivities of(StatisticsPolicy policy, int members) {
      long pairs = Math.max(1, members - 1);
      return new Sensitivities(
          1, policy.keysPerUploadCap(), 1, pairs, pairs * StatisticsPolicy.MAX_KEYS_PER_UPLOAD);
    }
  }

  /**
   * Releases {@code day} from its exact {@code tallies} (missing cells count 0).
   *
   * @param authorities the health authorities of the node's country, in the order to release them
   * @param countries the member countries, whose ordered pairs are the pair cells
   */
  public Release release(
      LocalDate day, List<String> authorities, List<String> countries, Map<String, Long> tallies) {
    Sensitivities d = Sensitivities.of(policy, countries.size());
    Epsilon e = policy.epsilonPerFamily();
    LaplaceMechanism uploads = new LaplaceMechanism(sampler, e, d.uploads());
    LaplaceMechanism keys = new LaplaceMechanism(sampler, e, d.keys());
    LaplaceMechanism delays = new LaplaceMechanism(sampler, e, d.delays());
    List<AuthorityRow> rows = new ArrayList<>();
    for (String ha : authorities) {
      long u = uploads.release(tallies.getOrDefault(Cells.uploads(ha), 0L));
      long k = keys.release(tallies.getOrDefault(Cells.keys(ha), 0L));
      Map<String, Long> hist = new LinkedHashMap<>();
      for (String bin : policy.delayBins()) {
        hist.put(bin, delays.release(tallies.getOrDefault(Cells.delay(ha, bin), 0L)));
      }
      rows.add(new AuthorityRow(ha, u >= policy.minUploads(), u, k, hist));
    }
    LaplaceMechanism batches = new LaplaceMechanism(sampler, e, d.pairBatches());
    LaplaceMechanism pairKeys = new LaplaceMechanism(sampler, e, d.pairKeys());
    List<PairRow> pairs = new ArrayList<>();
    for (String from : countries) {
      for (String to : countries) {
        if (!from.equals(to)) {
          pairs.add(
              new PairRow(
                  from,
                  to,
                  batches.release(tallies.getOrDefault(Cells.pairBatches(from, to), 0L)),
                  pairKeys.release(tallies.getOrDefault(Cells.pairKeys(from, to), 0L))));
        }
      }
    }
    return new Release(day, policy.epsilonPerDay(), rows, pairs);
  }
}
