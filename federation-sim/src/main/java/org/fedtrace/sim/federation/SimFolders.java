package org.fedtrace.sim.federation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The temporary folders a simulation's nodes and exports write to, and their removal. */
final class SimFolders {
  /** A memory-backed file system, where there is one. */
  private static final Path SHM = Path.of("/dev/shm");

  private SimFolders() {}

  /**
   * A new temporary folder: under /dev/shm where it is writable, else the system's temporary
   * folder. The nodes' SQLite stores commit with {@code synchronous=FULL} (an fsync per commit, as
   * the node's durability rules require); on a memory-backed file system the fsync costs nothing,
   * and a simulation's stores are thrown away at its end anyway. On this machine's disk, shared
   * with other builds, a hundred nodes' commits spent most of a run waiting for the disk.
   */
  static Path temporaryRoot(String prefix) throws IOException {
    return Files.isDirectory(SHM) && Files.isWritable(SHM)
        ? Files.createTempDirectory(SHM, prefix)
        : Files.createTempDirectory(prefix);
  }

  /** Deletes {@code dir} and everything in it, quietly (a temporary folder left is no failure). */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the run for
    }
  }
}
