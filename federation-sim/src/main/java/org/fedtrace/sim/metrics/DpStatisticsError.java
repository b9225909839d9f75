package org.fedtrace.sim.metrics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.Outcome;
import org.fedtrace.sim.report.DpError;
import org.fedtrace.sim.truth.GroundTruth;
import org.fedtrace.stats.Cells;
import org.fedtrace.stats.DailyRelease;
import org.fedtrace.stats.Epsilon;
import org.fedtrace.stats.ExactSampler;
import org.fedtrace.stats.StatisticsPolicy;

/**
 * Measures the error of the node's statistics release (transparency.md §16) on the run's ground
 * truth: true counts per health authority and day (uploads, keys up to the cap, one authority per
 * country) and per country pair and day (every published batch, and its keys, to every other
 * member: what a full mesh delivers), released with {@link DailyRelease} at each ε of {@link
 * DpError#EPSILONS}. The noise comes from a source seeded by the scenario's seed, so a report is
 * repeatable; the node draws from SecureRandom, with the same distribution. The delay histogram is
 * not measured: the ground truth has no onset dates.
 */
public final class DpStatisticsError {
  private static final long STREAM = 0x5d9f;
  private static final int MAX_DRAWS = 200_000;
  private static final int MAX_REPETITIONS = 20;

  private DpStatisticsError() {}

  /** The sweep for {@code o}, whose member countries are {@code countries} in index order. */
  public static DpError measure(Outcome o, List<String> countries) {
    StatisticsPolicy base = StatisticsPolicy.DEFAULTS;
    Map<Integer, Map<String, Long>> days = new TreeMap<>();
    for (GroundTruth.Upload u : o.truth().uploads()) {
      String ha = countries.get(o.population().countryOfPlace(o.population().home(u.agent())));
      Map<String, Long> day = days.computeIfAbsent(u.hour() / 24, d -> new TreeMap<>());
      day.merge(Cells.uploads(ha), 1L, Long::sum);
      day.merge(
          Cells.keys(ha), (long) Math.min(u.keyDays().size(), base.keysPerUploadCap()), Long::sum);
    }
    long dayZero = o.scenario().startDate().toEpochDay();
    for (DiagnosisKeyBatch b : o.published()) {
      int d = (int) (Math.floorDiv(b.getCreatedUnixSeconds(), 86_400L) - dayZero);
      Map<String, Long> day = days.computeIfAbsent(d, x -> new TreeMap<>());
      for (String to : countries) {
        if (!to.equals(b.getOrigin())) {
          day.merge(Cells.pairBatches(b.getOrigin(), to), 1L, Long::sum);
          day.merge(Cells.pairKeys(b.getOrigin(), to), (long) b.getKeysCount(), Long::sum);
        }
      }
    }
    int dayCount = Math.max(1, days.size());
    long cellsPerDay =
        (long) countries.size() * (2 + base.delayBins().size())
            + 2L * countries.size() * (countries.size() - 1);
    int reps =
        (int)
            Math.max(
                1,
                Math.min(
                    MAX_REPETITIONS,
                    MAX_DRAWS / (cellsPerDay * dayCount * DpError.EPSILONS.size())));
    SplittableRandom random = new SplittableRandom(o.scenario().seed() ^ STREAM);
    List<DpError.Row> rows = new ArrayList<>();
    for (String eps : DpError.EPSILONS) {
      StatisticsPolicy p =
          new StatisticsPolicy(
              Epsilon.parse(eps),
              Epsilon.parse("999999"),
              0,
              base.delayHours(),
              base.keysPerUploadCap(),
              base.delayBinEdgesDays());
      rows.addAll(sweep(p, countries, days, reps, new ExactSampler(random.split())));
    }
    return new DpError(reps, rows);
  }

  private static List<DpError.Row> sweep(
      StatisticsPolicy p,
      List<String> countries,
      Map<Integer, Map<String, Long>> days,
      int reps,
      ExactSampler sampler) {
    DailyRelease mechanism = new DailyRelease(p, sampler);
    Tally[] t = {new Tally(), new Tally(), new Tally(), new Tally()};
    for (int r = 0; r < reps; r++) {
      for (Map.Entry<Integer, Map<String, Long>> day : days.entrySet()) {
        Map<String, Long> truth = day.getValue();
        DailyRelease.Release out =
            mechanism.release(LocalDate.ofEpochDay(day.getKey()), countries, countries, truth);
        for (DailyRelease.AuthorityRow a : out.authorities()) {
          t[0].add(a.uploads(), truth.getOrDefault(Cells.uploads(a.authority()), 0L));
          t[1].add(a.keys(), truth.getOrDefault(Cells.keys(a.authority()), 0L));
        }
        for (DailyRelease.PairRow pr : out.pairs()) {
          t[2].add(pr.batches(), truth.getOrDefault(Cells.pairBatches(pr.from(), pr.to()), 0L));
          t[3].add(pr.keys(), truth.getOrDefault(Cells.pairKeys(pr.from(), pr.to()), 0L));
        }
      }
    }
    DailyRelease.Sensitivities d = DailyRelease.Sensitivities.of(p, countries.size());
    double ef = p.epsilonPerFamily().value();
    String eps = p.epsilonPerDay().toString();
    return List.of(
        t[0].row(eps, "ha_uploads", reps, expected(ef, d.uploads())),
        t[1].row(eps, "ha_keys", reps, expected(ef, d.keys())),
        t[2].row(eps, "pair_batches", reps, expected(ef, d.pairBatches())),
        t[3].row(eps, "pair_keys", reps, expected(ef, d.pairKeys())));
  }

  /** E|Z| of discrete Laplace noise at ε {@code e} and sensitivity {@code delta}. */
  static double expected(double e, long delta) {
    double p = Math.exp(-e / delta);
    return 2 * p / (1 - p * p);
  }

  /** Absolute errors and true totals of one family. */
  private static final class Tally {
    private long cells;
    private double absolute;
    private long truth;

    void add(long released, long exact) {
      cells++;
      absolute += Math.abs(released - exact);
      truth += exact;
    }

    DpError.Row row(String eps, String family, int reps, double expected) {
      return new DpError.Row(
          eps,
          family,
          cells / reps,
          truth / reps,
          absolute / cells,
          expected,
          truth == 0 ? Double.NaN : absolute / truth);
    }
  }
}
