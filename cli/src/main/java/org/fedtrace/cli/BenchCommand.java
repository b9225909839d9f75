package org.fedtrace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedtrace.bench.baseline.NaiveMatcher;
import org.fedtrace.bench.workload.SyntheticWorkload;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace bench}: measurement harnesses that print their figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure fedtrace's hot paths on synthetic data and print the figures.",
    subcommands = {BenchCommand.Match.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** {@code fedtrace bench match}: the derive-and-match pipeline against its limit and baseline. */
  @Command(
      name = "match",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Match synthetic diagnosis keys against a synthetic index of observations",
        "that holds a known number of planted matches, and print, from one run,",
        "in RPIs per second:",
        "  derive only  HKDF + AES of every RPI, no lookups: this path's limit;",
        "  pipeline     derive, prefilter, table lookups, windows, grouping;",
        "  naive        a new Cipher per RPI and HashSet lookups (--naive-keys,",
        "               one warm-up pass, then one timed pass);",
        "and the matches found, which must equal the planted matches. Rates are",
        "medians of --rounds rounds after a warm-up; progress goes to stderr.",
        "The default heap holds about 10,000,000 observations (with the naive",
        "baseline's HashSet); for more, set FEDTRACE_JAVA_OPTS=-Xmx...",
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:figures printed, matches found = planted",
        "1:matches found differ from planted, or the heap is too small",
        "2:bad option value"
      })
  static final class Match implements Callable<Integer> {
    private static final int MAX_INDEX_SIZE = 100_000_000;
    private static final int MAX_KEYS = 10_000_000;
    private static final int MAX_THREADS = 256;
    private static final int WARM_UP_KEYS = 20_000;
    private static final long BYTES_PER_OBSERVATION_ESTIMATE = 200;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--index-size",
        paramLabel = "N",
        defaultValue = "1000000",
        description = "Observations in the index, 1..100000000 (default: ${DEFAULT-VALUE}).")
    int indexSize;

    @Option(
        names = "--keys",
        paramLabel = "N",
        defaultValue = "100000",
        description =
            "Diagnosis keys per round, 1..10000000; about 90%% yield 144 RPIs"
                + " (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(
        names = "--threads",
        paramLabel = "T",
        defaultValue = "1",
        description = "Matching threads, 1..256 (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(
        names = "--rounds",
        paramLabel = "R",
        defaultValue = "3",
        description =
            "Timed rounds of derive-only and pipeline, 1..100 (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--naive-keys",
        paramLabel = "N",
        defaultValue = "500",
        description =
            "Keys the naive baseline derives (it is slow), 0..1000000, at most --keys;"
                + " 0 skips it, and its rate is then null (default: ${DEFAULT-VALUE}).")
    int naiveKeys;

    @Option(
        names = "--probe",
        paramLabel = "MODE",
        defaultValue = "direct",
        description =
            "Prefilter probing: direct, or partitioned by the filter's high bits first"
                + " (default: ${DEFAULT-VALUE}).")
    String probe;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    private long heapBytesPerObservation;

    @Override
    public Integer call() {
      ProbeMode mode = validate();
      PrintWriter err = spec.commandLine().getErr();
      KeyBatch keyBatch = SyntheticWorkload.randomKeys(keys, seed);
      SyntheticWorkload workload = buildIndex(keyBatch, err);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("index_size", indexSize);
      figures.put("keys", keys);
      figures.put("rpis_per_round", keyBatch.rpiCount());
      figures.put("threads", threads);
      figures.put("probe", mode.name().toLowerCase(Locale.ROOT));
      figures.put("rounds", rounds);
      figures.put("seed", seed);
      figures.put("index_bytes_per_observation", workload.index().retainedBytes() / indexSize);
      figures.put("heap_bytes_per_observation", heapBytesPerObservation);
      MatchResult result = measureEngine(workload, mode, figures, err);
      measureNaive(workload, figures, err);
      figures.put("planted_matches", workload.plantedMatches());
      figures.put("matches_found", result.matchedObservations());
      figures.put("exposures", result.exposures().size());
      figures.put("notified_exposures", result.notifiedCount());
      print(figures);
      if (result.matchedObservations() != workload.plantedMatches()) {
        throw new UserError(
            "the engine found "
                + result.matchedObservations()
                + " matches but "
                + workload.plantedMatches()
                + " were planted");
      }
      return 0;
    }

    private ProbeMode validate() {
      range("--index-size", indexSize, 1, MAX_INDEX_SIZE);
      range("--keys", keys, 1, MAX_KEYS);
      range("--threads", threads, 1, MAX_THREADS);
      range("--rounds", rounds, 1, 100);
      range("--naive-keys", naiveKeys, 0, 1_000_000);
      ProbeMode mode;
      try {
        mode = ProbeMode.valueOf(probe.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw usage("--probe must be direct or partitioned, got '" + probe + "'");
      }
      naiveKeys = Math.min(naiveKeys, keys);
      long needed = BYTES_PER_OBSERVATION_ESTIMATE * indexSize + 64L * keys;
      if (needed > Runtime.getRuntime().maxMemory()) {
        throw new UserError(
            String.format(
                Locale.ROOT,
                "an index of %d observations needs about %d MiB of heap, the JVM has %d MiB;"
                    + " set FEDTRACE_JAVA_OPTS=-Xmx%dm",
                indexSize,
                needed >> 20,
                Runtime.getRuntime().maxMemory() >> 20,
                (needed >> 20) + 512));
      }
      return mode;
    }

    private void range(String option, int value, int min, int max) {
      if (value < min || value > max) {
        throw usage(option + " must be in " + min + ".." + max + ", got " + value);
      }
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private SyntheticWorkload buildIndex(KeyBatch keyBatch, PrintWriter err) {
      boolean terminal = System.console() != null;
      long before = usedHeap();
      long start = System.nanoTime();
      SyntheticWorkload w =
          SyntheticWorkload.build(
              keyBatch,
              indexSize,
              seed,
              done -> {
                if (terminal) {
                  err.print("\r" + progress(done));
                  err.flush();
                }
              });
      err.printf(
          Locale.ROOT,
          "%s%s in %.1f s%n",
          terminal ? "\r" : "",
          progress(indexSize),
          (System.nanoTime() - start) / 1e9);
      heapBytesPerObservation = (usedHeap() - before) / indexSize;
      return w;
    }

    private String progress(long done) {
      return String.format(
          Locale.ROOT,
          "building the index: %,d of %,d observations (%d%%)",
          done,
          indexSize,
          100L * done / indexSize);
    }

    private MatchResult measureEngine(
        SyntheticWorkload w, ProbeMode mode, Map<String, Object> figures, PrintWriter err) {
      KeyBatch all = w.keys();
      MatchResult result = null;
      double[] derive = new double[rounds];
      double[] pipeline = new double[rounds];
      try (Matcher matcher = Matcher.create(threads, mode, RiskModel.DEFAULT)) {
        err.println("warming up");
        err.flush();
        KeyBatch warm = all.slice(0, Math.min(all.size(), WARM_UP_KEYS));
        for (int i = 0; i < 3; i++) {
          matcher.deriveOnly(warm);
          matcher.match(w.index(), warm);
        }
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          long checksum = matcher.deriveOnly(all);
          long t1 = System.nanoTime();
          MatchResult m = matcher.match(w.index(), all);
          long t2 = System.nanoTime();
          derive[r] = all.rpiCount() / ((t1 - t0) / 1e9);
          pipeline[r] = all.rpiCount() / ((t2 - t1) / 1e9);
          if (result != null && !result.equals(m)) {
            throw new IllegalStateException("two rounds of matching found different exposures");
          }
          result = m;
          err.printf(
              Locale.ROOT,
              "round %d of %d: derive only %.1f, pipeline %.1f M RPIs/s (checksum %x)%n",
              r + 1,
              rounds,
              derive[r] / 1e6,
              pipeline[r] / 1e6,
              checksum & 0xFFFF);
          err.flush();
        }
      }
      double d = median(derive);
      double p = median(pipeline);
      figures.put("derive_only_rpis_per_second", Math.round(d));
      figures.put("pipeline_rpis_per_second", Math.round(p));
      figures.put("pipeline_rpis_per_second_per_thread", Math.round(p / threads));
      figures.put("pipeline_share_of_derive_only", round3(p / d));
      return result;
    }

    private void measureNaive(SyntheticWorkload w, Map<String, Object> figures, PrintWriter err) {
      figures.put("naive_keys", naiveKeys);
      if (naiveKeys == 0) {
        figures.put("naive_rpis_per_second", null);
        figures.put("pipeline_vs_naive", null);
        return;
      }
      err.println("naive baseline: copying the index's tokens into a HashSet");
      err.flush();
      long t = System.nanoTime();
      NaiveMatcher naive = new NaiveMatcher(w.index());
      err.printf(Locale.ROOT, "copied in %.1f s; deriving%n", (System.nanoTime() - t) / 1e9);
      err.flush();
      naive.countHits(w.keys(), 0, naiveKeys); // warm-up: the baseline gets the same JIT chance
      long t0 = System.nanoTime();
      naive.countHits(w.keys(), 0, naiveKeys);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rpis = w.keys().slice(0, naiveKeys).rpiCount();
      double rate = rpis / seconds;
      figures.put("naive_rpis_per_second", Math.round(rate));
      figures.put(
          "pipeline_vs_naive",
          round3(((Number) figures.get("pipeline_rpis_per_second")).doubleValue() / rate));
    }

    private void print(Map<String, Object> f) {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        try {
          out.println(new ObjectMapper().writeValueAsString(f));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot write JSON", e);
        }
        out.flush();
        return;
      }
      out.printf(
          Locale.ROOT,
          "index: %,d observations, %d bytes each (arrays), %d bytes each (heap growth)%n",
          indexSize,
          f.get("index_bytes_per_observation"),
          f.get("heap_bytes_per_observation"));
      out.printf(
          Locale.ROOT,
          "keys: %,d (%,d RPIs per round); %d thread(s); probe %s; median of %d round(s)%n",
          keys,
          f.get("rpis_per_round"),
          threads,
          f.get("probe"),
          rounds);
      out.printf(
          Locale.ROOT,
          "derive only (HKDF + AES, no lookups)  %8.1f M RPIs/s%n",
          mega(f, "derive_only_rpis_per_second"));
      out.printf(
          Locale.ROOT,
          "pipeline (derive, filter, table)      %8.1f M RPIs/s  %.1f M per thread,"
              + " %.0f%% of derive only%n",
          mega(f, "pipeline_rpis_per_second"),
          mega(f, "pipeline_rpis_per_second_per_thread"),
          100 * (double) f.get("pipeline_share_of_derive_only"));
      if (naiveKeys > 0) {
        out.printf(
            Locale.ROOT,
            "naive (Cipher per RPI, HashSet)       %8.2f M RPIs/s  on %,d keys, 1 thread;"
                + " pipeline is %.0fx%n",
            mega(f, "naive_rpis_per_second"),
            naiveKeys,
            (double) f.get("pipeline_vs_naive"));
      }
      out.printf(
          Locale.ROOT,
          "matches: %,d found, %,d planted; %,d exposures, %,d notified%n",
          f.get("matches_found"),
          f.get("planted_matches"),
          f.get("exposures"),
          f.get("notified_exposures"));
      out.flush();
    }

    private static double mega(Map<String, Object> f, String field) {
      return ((Number) f.get(field)).doubleValue() / 1e6;
    }

    private static double median(double[] values) {
      double[] v = values.clone();
      Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double round3(double v) {
      return Math.round(v * 1000) / 1000.0;
    }

    private static long usedHeap() {
      Runtime rt = Runtime.getRuntime();
      for (int i = 0; i < 2; i++) {
        rt.gc();
      }
      return rt.totalMemory() - rt.freeMemory();
    }
  }
}
