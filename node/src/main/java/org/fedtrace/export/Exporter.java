package org.fedtrace.export;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.export.ExportDirectory.FileName;
import org.fedtrace.export.ExportDirectory.Series;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.store.Store;

/**
 * Keeps an export directory current (spec §24): each run publishes the hourly window that ended
 * last, if no run did, with a file per origin country and one combined file of all origins, and the
 * daily files of the days that ended since. Runs are cheap when nothing ended, so the node calls
 * {@link #run} every minute; {@code fedtrace export} calls it once.
 *
 * <p>Padding is added once, to the hourly file of each origin; the combined file is the union of
 * those files, and a daily file the union of its hourly files, padded further only if still below
 * the minimum. A padding key thus appears in every file that covers its real neighbours, so that
 * comparing files of one window tells nothing about which keys are real. Not thread-safe: one run
 * at a time.
 */
public final class Exporter {
  /** What a run published. */
  public record Result(int files, long keys, long windowEnd) {
    /** A run that published nothing. */
    static Result nothing() {
      return new Result(0, 0, 0);
    }
  }

  private static final long HOUR = 3_600;
  private static final long DAY = 86_400;

  private final Store store;
  private final ExportPolicy policy;
  private final GaenExportWriter writer;
  private final ExportDirectory dir;
  private final SecureRandom random;
  private final String home;

  /**
   * An exporter of {@code store}'s keys into {@code directory}, with the domestic-only keys of the
   * node's uploads in the series of {@code home}, the node's origin (spec R25.14).
   */
  public Exporter(
      Store store,
      ExportPolicy policy,
      GaenExportWriter writer,
      Path directory,
      SecureRandom random,
      String home) {
    this.store = store;
    this.policy = policy;
    this.writer = writer;
    this.dir = new ExportDirectory(directory);
    this.random = random;
    this.home = java.util.Objects.requireNonNull(home, "home");
  }

  /**
   * Publishes the windows that ended by {@code nowUnixSeconds} and were not yet published.
   *
   * @throws IOException if the directory cannot be written; a later run completes or redoes it
   */
  public Result run(long nowUnixSeconds) throws IOException {
    java.nio.file.Files.createDirectories(dir.root());
    dir.recover(nowUnixSeconds, policy.indexDays());
    ExportState last = dir.state().orElse(null);
    long end = nowUnixSeconds / HOUR * HOUR;
    if (last != null && last.windowEnd() >= end) {
      return Result.nothing();
    }
    long start = last == null ? end - HOUR : last.windowEnd();
    Release.Selection sel = Release.select(store, end, policy.delaySeconds(), last, home);
    GaenExport.Window window = new GaenExport.Window(start, end);
    Tally tally = new Tally();
    List<DiagnosisKey> combined = new ArrayList<>();
    for (Map.Entry<String, List<DiagnosisKey>> origin : sel.byOrigin().entrySet()) {
      List<DiagnosisKey> padded = pad(origin.getValue(), end);
      combined.addAll(padded);
      stage(origin.getKey(), Series.HOURLY, window, padded, tally);
    }
    stage(policy.combinedRegion(), Series.HOURLY, window, pad(combined, end), tally);
    long dayEnd = last == null ? start / DAY * DAY : last.dayEnd();
    for (long d = dayEnd + DAY; d <= end; d += DAY) {
      daily(new GaenExport.Window(d - DAY, d), tally);
      dayEnd = d;
    }
    dir.commit(
        new ExportState(end, sel.position(), dayEnd, sel.domesticId()),
        nowUnixSeconds,
        policy.indexDays());
    return new Result(tally.files, tally.keys, end);
  }

  private void daily(GaenExport.Window day, Tally tally) throws IOException {
    for (String region : dir.regions()) {
      Set<DiagnosisKey> keys = new LinkedHashSet<>();
      for (Path f : dir.files(region, Series.HOURLY)) {
        long fileEnd = ExportDirectory.name(f).end();
        if (fileEnd > day.startUnixSeconds() && fileEnd <= day.endUnixSeconds()) {
          keys.addAll(GaenExport.read(f).keys());
        }
      }
      if (!keys.isEmpty()) {
        stage(region, Series.DAILY, day, pad(new ArrayList<>(keys), day.endUnixSeconds()), tally);
      }
    }
  }

  private List<DiagnosisKey> pad(List<DiagnosisKey> keys, long windowEnd) {
    return Padding.pad(keys, policy.minKeys(), windowEnd, policy.delaySeconds(), random);
  }

  private void stage(
      String region, Series series, GaenExport.Window window, List<DiagnosisKey> keys, Tally tally)
      throws IOException {
    List<DiagnosisKey> sorted = new ArrayList<>(keys);
    sorted.sort(GaenExportWriter.BY_KEY_DATA);
    int size = Math.max(1, (sorted.size() + policy.maxKeysPerFile() - 1) / policy.maxKeysPerFile());
    Map<Integer, byte[]> files = new HashMap<>();
    for (int n = 1; n <= size; n++) {
      int from = (n - 1) * sorted.size() / size;
      int to = n * sorted.size() / size;
      GaenExportWriter.Content c =
          new GaenExportWriter.Content(region, window, n, size, sorted.subList(from, to));
      files.put(n, writer.write(c));
    }
    for (Map.Entry<Integer, byte[]> f : files.entrySet()) {
      FileName name = new FileName(window.startUnixSeconds(), window.endUnixSeconds(), f.getKey());
      dir.stage(region, series, name, f.getValue());
    }
    tally.files += size;
    tally.keys += sorted.size();
  }

  private static final class Tally {
    int files;
    long keys;
  }
}
