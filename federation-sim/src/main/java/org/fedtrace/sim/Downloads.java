package org.fedtrace.sim;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.sim.metrics.Percentiles;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.DeviceSource;

/**
 * Device mode: what phones download from their home node's key exports (docs/export.md), and how
 * long the export embargo keeps an uploaded key from them.
 *
 * <p>After each simulated hour's export, this reads each home node's combined hourly index ({@code
 * ALL/hourly/index.txt}) from the directory the node wrote, as a phone app that wants every origin
 * does, and notes the size and the keys of every file new in it. A phone fetches the new files
 * every {@code matching.download_interval_hours}, with a phase of its own; it fetches each file
 * once. With {@code matching.device_source: exports} (the default) phones match the keys of these
 * files, padding included, and learn of an exposure at their next fetch.
 */
final class Downloads {
  private static final String INDEX = "ALL/hourly/index.txt";

  private final Population population;
  private final Polls fetches;
  private final int interval;

  /** Bytes of the files first listed at each hour, [country][hour]. */
  private final long[][] bytesAt;

  private final List<Set<String>> seen;
  private final Map<ByteString, Integer> uploadHour = new HashMap<>();
  private final Map<ByteString, Integer> batchedHour = new HashMap<>();
  private final Map<ByteString, Integer> exportedHour = new HashMap<>();
  private boolean any;

  /**
   * Downloads of a run of {@code hours} simulated hours (the drain included).
   *
   * @param intervalHours a phone fetches new files this often
   */
  Downloads(Population population, long seed, int intervalHours, int hours) {
    this.population = population;
    this.fetches = new Polls(seed, intervalHours);
    this.interval = intervalHours;
    this.bytesAt = new long[population.countries()][hours];
    this.seen = new ArrayList<>();
    for (int c = 0; c < population.countries(); c++) {
      seen.add(new HashSet<>());
    }
  }

  /** A person uploaded {@code keys} at {@code hour}. */
  void uploaded(Collection<ByteString> keys, int hour) {
    keys.forEach(k -> uploadHour.putIfAbsent(k, hour));
  }

  /** {@code keys} arrived in batches at a node at {@code hour}. */
  void batched(List<DiagnosisKey> keys, int hour) {
    for (DiagnosisKey k : keys) {
      if (uploadHour.containsKey(k.getKeyData())) {
        batchedHour.putIfAbsent(k.getKeyData(), hour);
      }
    }
  }

  /**
   * Reads the files each home node lists at {@code hour}; {@code dirs} by country code. Returns the
   * keys of the files new at {@code hour}, by home country (padding keys included): what the phones
   * of that country match at their next fetch.
   */
  List<List<DiagnosisKey>> read(Map<String, Path> dirs, int hour) {
    List<List<DiagnosisKey>> fresh = new ArrayList<>();
    for (int c = 0; c < population.countries(); c++) {
      List<DiagnosisKey> keys = new ArrayList<>();
      fresh.add(keys);
      Path root = dirs.get(population.code(c));
      if (root == null) {
        continue;
      }
      any = true;
      try {
        Path index = root.resolve(INDEX);
        if (!Files.exists(index)) {
          continue;
        }
        for (String line : Files.readAllLines(index)) {
          if (!line.isBlank() && seen.get(c).add(line)) {
            Path file = root.resolve(line.strip());
            bytesAt[c][hour] += Files.size(file);
            for (DiagnosisKey k : GaenExport.read(file).keys()) {
              keys.add(k);
              if (uploadHour.containsKey(k.getKeyData())) {
                exportedHour.putIfAbsent(k.getKeyData(), hour);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the exports of " + population.code(c), e);
      }
    }
    return fresh;
  }

  /** The hour of {@code agent}'s phone's first fetch at or after {@code hour}. */
  int fetchHour(int agent, int hour) {
    return fetches.next(agent, hour);
  }

  /**
   * The figures of a run of {@code days} simulated days, in which phones matched {@code matched},
   * or null when the federation wrote no exports.
   */
  Report.Downloads figures(int days, DeviceSource matched) {
    if (!any) {
      return null;
    }
    int end = days * 24;
    long[][] cumulative = new long[bytesAt.length][end];
    for (int c = 0; c < bytesAt.length; c++) {
      long sum = 0;
      for (int h = 0; h < end; h++) {
        sum += bytesAt[c][h];
        cumulative[c][h] = sum;
      }
    }
    double bytes = 0;
    long phones = 0;
    for (int a = 0; a < population.size(); a++) {
      if (population.hasApp(a)) {
        int last = fetches.next(a, Math.max(0, end - interval));
        bytes += last < end ? cumulative[population.home(a)][last] : 0;
        phones++;
      }
    }
    return new Report.Downloads(
        phones == 0 ? 0 : bytes / phones / days,
        interval,
        latencies(),
        unexported(),
        matched.label());
  }

  private Report.Downloads.Latency latencies() {
    long[] batch = new long[exportedHour.size()];
    long[] export = new long[exportedHour.size()];
    int n = 0;
    long delayed = 0;
    long addedMax = 0;
    for (Map.Entry<ByteString, Integer> e : exportedHour.entrySet()) {
      int up = uploadHour.get(e.getKey());
      batch[n] = batchedHour.getOrDefault(e.getKey(), e.getValue()) - up;
      export[n] = e.getValue() - up;
      if (export[n] > batch[n]) {
        delayed++;
        addedMax = Math.max(addedMax, export[n] - batch[n]);
      }
      n++;
    }
    return new Report.Downloads.Latency(
        Percentiles.nearestRank(export, 50),
        Percentiles.nearestRank(export, 99),
        Percentiles.nearestRank(batch, 50),
        Percentiles.nearestRank(batch, 99),
        n,
        delayed,
        addedMax);
  }

  private long unexported() {
    return uploadHour.keySet().stream().filter(k -> !exportedHour.containsKey(k)).count();
  }
}
