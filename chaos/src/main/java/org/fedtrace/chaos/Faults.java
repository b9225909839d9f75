package org.fedtrace.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Injects one fault into one node under load and repairs it. Each method returns when the repair
 * has begun (the node restarts, the link heals, the disk is freed); the time to recover is counted
 * from there.
 */
final class Faults {
  /** The spec's bound on a node's clock error (R1.1), less a margin for the run's own drift. */
  static final long MAX_SKEW_SECONDS = 290;

  private static final String STORE = "fedtrace.db";

  private final Cluster cluster;
  private final Random random;

  /**
   * What a fault did.
   *
   * @param what a short description for the progress line
   * @param repairedNanos when the repair began (System.nanoTime())
   * @param failures invariants the fault itself broke (a damaged store started, a node died)
   */
  record Injected(String what, long repairedNanos, List<String> failures) {}

  Faults(Cluster cluster, Random random) {
    this.cluster = cluster;
    this.random = random;
  }

  Injected inject(FaultKind kind, NodeProcess victim) throws IOException, InterruptedException {
    NodeProcess.sleep(300 + random.nextInt(1500)); // a random point of the load
    return switch (kind) {
      case KILL -> kill(victim);
      case DISK_FULL -> diskFull(victim);
      case DAMAGE -> damage(victim);
      case PARTITION -> partition(victim);
      case SKEW -> skew(victim);
    };
  }

  private Injected kill(NodeProcess victim) throws IOException, InterruptedException {
    victim.kill();
    long down = random.nextInt(2000);
    NodeProcess.sleep(down);
    long repaired = System.nanoTime();
    victim.start(victim.skewSeconds());
    return new Injected(
        "kill -9 " + victim.country() + ", down " + down + " ms", repaired, List.of());
  }

  private Injected diskFull(NodeProcess victim) throws IOException, InterruptedException {
    Path filler = victim.folder().resolve("data").resolve("chaos-filler");
    long filled = fill(filler);
    long hold = 2000 + random.nextInt(3000);
    NodeProcess.sleep(hold);
    List<String> failures = new ArrayList<>();
    boolean died = !victim.alive();
    long repaired = System.nanoTime();
    Files.deleteIfExists(filler);
    if (died) {
      failures.add(
          "node "
              + victim.country()
              + " "
              + victim.exitDescription()
              + " on a full disk instead of refusing with UNAVAILABLE:\n"
              + victim.logTail());
      victim.start(victim.skewSeconds());
    }
    return new Injected(
        "disk of "
            + victim.country()
            + " full for "
            + hold
            + " ms ("
            + filled / 1024
            + " KiB filler)",
        repaired,
        failures);
  }

  /** Writes {@code file} until the file system has no byte left; returns its size. */
  private static long fill(Path file) throws IOException {
    long written = 0;
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int size = block.length; size >= 512; size /= 4) {
        try {
          for (; ; written += size) {
            out.write(block, 0, size);
            out.flush();
          }
        } catch (IOException full) {
          // smaller writes take what is left
        }
      }
    } catch (IOException closing) {
      // the last flush on close found the disk full too
    }
    return written;
  }

  private Injected damage(NodeProcess victim) throws IOException, InterruptedException {
    boolean crash = random.nextBoolean();
    if (crash) {
      victim.kill();
    } else {
      victim.stop();
    }
    Path data = victim.folder().resolve("data");
    Path backup = cluster.root().resolve("backup-" + victim.country());
    copy(data, backup);
    String how = corrupt(data);
    NodeProcess.Refusal refusal = victim.startExpectingRefusal();
    List<String> failures = new ArrayList<>();
    String outcome;
    if (refusal.listened()) {
      failures.add(
          "node "
              + victim.country()
              + " started on a store that was "
              + how
              + " instead of refusing it:\n"
              + refusal.output());
      outcome = "STARTED";
    } else if (!namesStore(refusal.output())) {
      failures.add(
          "node "
              + victim.country()
              + " refused a store that was "
              + how
              + " (exit "
              + refusal.exitStatus()
              + ") without saying that its store is the problem:\n"
              + refusal.output());
      outcome = "refused, unclear";
    } else {
      outcome = "refused: " + firstError(refusal.output());
    }
    long repaired = System.nanoTime();
    empty(data, false);
    copy(backup, data);
    empty(backup, true);
    victim.start(victim.skewSeconds());
    return new Injected(
        (crash ? "kill -9 " : "stop ") + victim.country() + ", store " + how + ", " + outcome,
        repaired,
        failures);
  }

  /** Damages the store in {@code data} one of four ways; says which. */
  private String corrupt(Path data) throws IOException {
    Path db = data.resolve(STORE);
    long size = Files.size(db);
    switch (random.nextInt(4)) {
      case 0 -> {
        for (String suffix : List.of("", "-wal", "-shm")) {
          Files.deleteIfExists(data.resolve(STORE + suffix));
        }
        return "deleted";
      }
      case 1 -> {
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
          f.setLength(size / 3);
        }
        Files.deleteIfExists(data.resolve(STORE + "-wal"));
        return "truncated to " + size / 3 + " of " + size + " bytes";
      }
      case 2 -> {
        overwrite(db, 0, 100);
        return "overwritten in its header";
      }
      default -> {
        long at = size / 4 + (long) (random.nextDouble() * (size / 2));
        overwrite(db, at, 16_384);
        return "overwritten with 16 KiB of noise at byte " + at + " of " + size;
      }
    }
  }

  private void overwrite(Path file, long at, int length) throws IOException {
    byte[] noise = new byte[length];
    random.nextBytes(noise);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      f.write(noise);
    }
  }

  /** Whether a refusal names the store as what is wrong. */
  static boolean namesStore(String output) {
    String o = output.toLowerCase(Locale.ROOT);
    return o.contains("store") || o.contains("datadir") || o.contains("database");
  }

  private static String firstError(String output) {
    for (String line : output.split("\n")) {
      String l = line.toLowerCase(Locale.ROOT);
      if (l.contains("store") || l.contains("datadir") || l.contains("database")) {
        String t = line.strip();
        return t.length() > 110 ? t.substring(0, 110) + "..." : t;
      }
    }
    return "";
  }

  private Injected partition(NodeProcess victim) {
    LinkProxy.Mode mode = List.of(LinkProxy.Mode.values()).get(1 + random.nextInt(3));
    long delay = 200 + random.nextInt(800);
    long hold = 2000 + random.nextInt(4000);
    for (LinkProxy l : cluster.linksOf(victim.country())) {
      l.set(mode, delay);
    }
    NodeProcess.sleep(hold);
    long repaired = System.nanoTime();
    for (LinkProxy l : cluster.linksOf(victim.country())) {
      l.set(LinkProxy.Mode.PASS, 0);
    }
    String how =
        switch (mode) {
          case CUT -> "cut";
          case STALL -> "stalled";
          default -> "delayed " + delay + " ms";
        };
    return new Injected(
        victim.country() + "'s peer links " + how + " for " + hold + " ms", repaired, List.of());
  }

  private Injected skew(NodeProcess victim) throws IOException, InterruptedException {
    long lo = -MAX_SKEW_SECONDS;
    long hi = MAX_SKEW_SECONDS;
    for (NodeProcess n : cluster.nodes()) {
      if (n != victim) { // no two nodes further apart than one may be from UTC
        lo = Math.max(lo, n.skewSeconds() - MAX_SKEW_SECONDS);
        hi = Math.min(hi, n.skewSeconds() + MAX_SKEW_SECONDS);
      }
    }
    long skew = lo + (long) (random.nextDouble() * (hi - lo + 1));
    long before = victim.skewSeconds();
    victim.stop();
    long repaired = System.nanoTime();
    victim.start(skew);
    return new Injected(
        "clock of " + victim.country() + " " + signed(before) + " s -> " + signed(skew) + " s",
        repaired,
        List.of());
  }

  private static String signed(long s) {
    return (s >= 0 ? "+" : "") + s;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith("chaos-")) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void empty(Path dir, boolean itself) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (itself || !p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
