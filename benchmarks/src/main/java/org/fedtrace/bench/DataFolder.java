package org.fedtrace.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder a harness keeps its nodes' files in: how fast it commits (the floor of every durable
 * write the nodes make), and its removal after a run in a temporary folder.
 */
final class DataFolder {
  private DataFolder() {}

  /** Median time of a small write followed by fsync, in the data folder: the commit's floor. */
  static double fsyncMillis(Path root) throws IOException {
    Path probe = root.resolve("fsync-probe");
    long[] samples = new long[50];
    try (FileChannel ch =
        FileChannel.open(
            probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      ByteBuffer page = ByteBuffer.allocate(4096);
      for (int i = 0; i < samples.length; i++) {
        page.clear();
        long start = System.nanoTime();
        ch.write(page, (long) (i % 8) * 4096);
        ch.force(false);
        samples[i] = System.nanoTime() - start;
      }
    }
    Files.delete(probe);
    Arrays.sort(samples);
    return samples[samples.length / 2] / 1e6;
  }

  /** Deletes {@code root} and everything in it. */
  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
