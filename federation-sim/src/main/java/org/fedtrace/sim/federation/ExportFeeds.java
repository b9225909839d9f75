package org.fedtrace.sim.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.export.ExportKeys;
import org.fedtrace.export.ExportPolicy;
import org.fedtrace.export.Exporter;
import org.fedtrace.store.Store;

/**
 * Each node's key export directory (spec §24, docs/export.md), kept current on simulated time.
 *
 * <p>A node's own export job runs every real minute on its scheduler, which a simulated run cannot
 * drive, so the nodes start without {@code export.directory} and this class runs the node's {@link
 * Exporter} on the node's store at each simulated hour instead: the same release policy, padding,
 * files and index a node with {@code export.directory} set would write. The policy is the node's
 * default ({@code export:} in node/config/example-node.yaml): a two-hour embargo, at least 1,000
 * keys a file, combined files under {@code ALL}.
 */
final class ExportFeeds {
  /** The node's default release policy. */
  static final ExportPolicy POLICY = new ExportPolicy(7_200, 1_000, 100_000, "ALL", 14);

  /** A memory-backed file system, where there is one: exports write many small files. */
  private static final Path SHM = Path.of("/dev/shm");

  private final Path base;
  private final Map<String, Exporter> exporters = new LinkedHashMap<>();
  private final Map<String, Path> directories = new LinkedHashMap<>();

  /**
   * Exporters of {@code stores} into folders of a new temporary directory (in /dev/shm where it is
   * writable, else under {@code root}), signing with one export-signing key made for the run;
   * padding keys come from {@code seed}, so runs repeat.
   */
  ExportFeeds(Map<String, Store> stores, Path root, long seed) throws IOException {
    base =
        Files.isDirectory(SHM) && Files.isWritable(SHM)
            ? Files.createTempDirectory(SHM, "fedtrace-sim-exports-")
            : Files.createDirectories(root.resolve("exports"));
    Path key = base.resolve("export-signing.key");
    ExportKeys.generate(key, new SecureRandom());
    GaenExportWriter writer =
        new GaenExportWriter(new GaenExportWriter.SignatureInfo("999", "v1"), ExportKeys.load(key));
    for (Map.Entry<String, Store> s : stores.entrySet()) {
      Path dir = base.resolve(s.getKey());
      SecureRandom padding = new Seeded(seed ^ s.getKey().hashCode());
      exporters.put(
          s.getKey(), new Exporter(s.getValue(), POLICY, writer, dir, padding, s.getKey()));
      directories.put(s.getKey(), dir);
    }
  }

  /** Publishes every window that ended by {@code simTime}; returns the directories by country. */
  Map<String, Path> run(Instant simTime) {
    // the nodes' exporters share nothing but the signer, so they run side by side
    exporters.entrySet().parallelStream().forEach(e -> run(e.getKey(), e.getValue(), simTime));
    return Map.copyOf(directories);
  }

  private static void run(String country, Exporter exporter, Instant simTime) {
    try {
      exporter.run(simTime.getEpochSecond());
    } catch (IOException e) {
      throw new UncheckedIOException("export of " + country + " failed", e);
    }
  }

  /** Deletes the directories. */
  void close() {
    SimFolders.deleteQuietly(base);
  }

  /**
   * The random source of padding keys: the same sequence for the same seed, and fast (a run pads
   * millions of keys). Not secure, which a simulated padding key need not be.
   */
  private static final class Seeded extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom random;

    Seeded(long seed) {
      super(new byte[0]);
      this.random = new SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
      random.nextBytes(bytes);
    }
  }
}
