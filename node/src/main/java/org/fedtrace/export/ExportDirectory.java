package org.fedtrace.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The export directory as a static web server serves it, and how it changes without a reader ever
 * seeing half of a change.
 *
 * <pre>
 * index.txt                                  the series indexes below, one path a line
 * REGION/hourly/index.txt                    the series' files, oldest first
 * REGION/hourly/START-END-NNNNN.zip          file NNNNN of the batch of window [START, END)
 * REGION/daily/...                           the same, one window a day
 * .state, .staging/                          the exporter's own (not to be served)
 * </pre>
 *
 * <p>A run writes every new file into {@code .staging} first and marks it complete; then it moves
 * each file into place (a rename), rewrites the indexes (temporary file and rename, the root index
 * last) and finally the state. A run that finds a complete staging area finishes publishing it; an
 * incomplete one is discarded, since nothing of it was served. So a file, once served, is never
 * written again with other padding, which would tell real keys from padding keys.
 */
final class ExportDirectory {
  /** The two window lengths of the files. */
  enum Series {
    HOURLY("hourly"),
    DAILY("daily");

    final String folder;

    Series(String folder) {
      this.folder = folder;
    }
  }

  /** One published file, as its name tells. */
  record FileName(long start, long end, int batchNumber) {
    private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d{5})\\.zip");

    String text() {
      return String.format("%d-%d-%05d.zip", start, end, batchNumber);
    }

    static Optional<FileName> parse(String name) {
      Matcher m = NAME.matcher(name);
      return m.matches()
          ? Optional.of(
              new FileName(
                  Long.parseLong(m.group(1)),
                  Long.parseLong(m.group(2)),
                  Integer.parseInt(m.group(3))))
          : Optional.empty();
    }
  }

  static final String INDEX = "index.txt";
  private static final String STATE = ".state";
  private static final String STAGING = ".staging";
  private static final String COMPLETE = ".complete";

  private final Path root;

  ExportDirectory(Path root) {
    this.root = root;
  }

  /** The directory. */
  Path root() {
    return root;
  }

  /** The state of the last run, if any run published. */
  Optional<ExportState> state() throws IOException {
    try {
      return Optional.of(ExportState.parse(Files.readString(root.resolve(STATE))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException(root.resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  /** Finishes a complete staging area left by a run that stopped, or discards an incomplete one. */
  void recover(long now, int indexDays) throws IOException {
    Path staging = root.resolve(STAGING);
    if (Files.exists(staging.resolve(COMPLETE))) {
      publish(now, indexDays);
    } else if (Files.exists(staging)) {
      deleteTree(staging);
    }
  }

  /** Writes {@code zip} as file {@code name} of {@code region}'s {@code series} into staging. */
  void stage(String region, Series series, FileName name, byte[] zip) throws IOException {
    Path file = root.resolve(STAGING).resolve(region).resolve(series.folder).resolve(name.text());
    Files.createDirectories(file.getParent());
    Files.write(file, zip);
  }

  /** The files of {@code region}'s {@code series}, published or staged, oldest first. */
  List<Path> files(String region, Series series) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path base : List.of(root, root.resolve(STAGING))) {
      Path dir = base.resolve(region).resolve(series.folder);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(p -> FileName.parse(p.getFileName().toString()).isPresent()).forEach(out::add);
        }
      }
    }
    out.sort(Comparator.comparing((Path p) -> name(p).end()).thenComparing(p -> name(p).text()));
    return out;
  }

  /** The regions that have a folder, published or staged. */
  List<String> regions() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path base : List.of(root, root.resolve(STAGING))) {
      if (Files.isDirectory(base)) {
        try (Stream<Path> s = Files.list(base)) {
          s.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith(".") && !out.contains(n))
              .forEach(out::add);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The name of a file this directory holds. */
  static FileName name(Path file) {
    return FileName.parse(file.getFileName().toString()).orElseThrow();
  }

  /** Marks the staging area complete, holding {@code state}, and publishes it. */
  void commit(ExportState state, long now, int indexDays) throws IOException {
    Path staging = root.resolve(STAGING);
    Files.createDirectories(staging);
    Files.writeString(staging.resolve(STATE), state.line());
    Files.writeString(staging.resolve(COMPLETE), "");
    publish(now, indexDays);
  }

  private void publish(long now, int indexDays) throws IOException {
    Path staging = root.resolve(STAGING);
    List<Path> staged;
    try (Stream<Path> s = Files.walk(staging)) {
      staged = s.filter(p -> p.getFileName().toString().endsWith(".zip")).toList();
    }
    for (Path p : staged) {
      Path target = root.resolve(staging.relativize(p).toString());
      Files.createDirectories(target.getParent());
      Files.move(p, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    writeIndexes(now - indexDays * 86_400L);
    Files.move(
        staging.resolve(STATE),
        root.resolve(STATE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    deleteTree(staging);
  }

  private void writeIndexes(long oldest) throws IOException {
    StringBuilder top = new StringBuilder();
    for (String region : regions()) {
      for (Series series : Series.values()) {
        StringBuilder lines = new StringBuilder();
        for (Path f : files(region, series)) {
          if (name(f).end() <= oldest) {
            Files.delete(f);
          } else {
            lines.append(root.relativize(f)).append('\n');
          }
        }
        Path index = root.resolve(region).resolve(series.folder).resolve(INDEX);
        if (Files.isDirectory(index.getParent())) {
          replace(index, lines.toString());
          top.append(root.relativize(index)).append('\n');
        }
      }
    }
    replace(root.resolve(INDEX), top.toString());
  }

  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
