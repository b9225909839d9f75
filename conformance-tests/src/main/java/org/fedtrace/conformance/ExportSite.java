package org.fedtrace.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.conformance.wire.ExportFiles;

/**
 * Where a node publishes its key export files for phones (spec §24.6): the root of the layout of
 * R24.19, over HTTP(S) as phones fetch it, or as a local directory, and the public key the files
 * are signed with, when the operator gives it. Read once per run ({@link #snapshot}).
 */
public final class ExportSite {
  /** The most recent files read per series, which bounds a run's downloads. */
  public static final int FILES_PER_SERIES = 48;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String location;
  private final Optional<PublicKey> key;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private Snapshot snapshot;

  private ExportSite(String location, Optional<PublicKey> key) {
    this.location = location.endsWith("/") ? location : location + "/";
    this.key = key;
  }

  /**
   * The export root at {@code location}: an {@code http://} or {@code https://} URL, or a
   * directory.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static ExportSite of(String location, Optional<PublicKey> key) {
    if (!location.startsWith("http://") && !location.startsWith("https://")) {
      if (!Files.isDirectory(Path.of(location))) {
        throw new IllegalArgumentException(
            "--exports: expected an http(s) URL or a directory, got '" + location + "'");
      }
    }
    return new ExportSite(location, key);
  }

  /** Where the files are. */
  public String location() {
    return location;
  }

  /** The export-signing public key the operator named, if any. */
  public Optional<PublicKey> key() {
    return key;
  }

  /**
   * The bytes at {@code path} under the root.
   *
   * @throws NoSuchFileException when there is nothing there (HTTP 404 or no file)
   * @throws IOException on any other failure
   */
  public byte[] get(String path) throws IOException {
    if (path.startsWith("/") || path.contains("..")) {
      throw new IOException("the index names a path outside the export root: " + path);
    }
    if (!location.startsWith("http")) {
      return Files.readAllBytes(Path.of(location).resolve(path));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(location).resolve(path)).timeout(TIMEOUT).build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 404) {
        throw new NoSuchFileException(location + path);
      }
      if (r.statusCode() != 200) {
        throw new IOException("GET " + location + path + " answered " + r.statusCode());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * The files listed now, read once and kept for the run: every series of the root {@code
   * index.txt} and the last {@link #FILES_PER_SERIES} files of each.
   *
   * @throws IOException if an index or a listed file cannot be fetched or read
   */
  public synchronized Snapshot snapshot() throws IOException {
    if (snapshot == null) {
      Map<String, List<Listed>> series = new LinkedHashMap<>();
      for (String index : lines(get("index.txt"))) {
        List<String> files = lines(get(index));
        List<Listed> read = new ArrayList<>();
        for (String f : files.subList(Math.max(0, files.size() - FILES_PER_SERIES), files.size())) {
          try {
            read.add(new Listed(f, ExportFiles.read(get(f))));
          } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
          }
        }
        series.put(index, read);
      }
      snapshot = new Snapshot(series);
    }
    return snapshot;
  }

  private static List<String> lines(byte[] text) {
    List<String> out = new ArrayList<>();
    for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /**
   * A file and the path its index gave.
   *
   * @param path under the root
   * @param file its content
   */
  public record Listed(String path, ExportFiles.File file) {}

  /**
   * The series and their files.
   *
   * @param series by the path of the series index ({@code DE/hourly/index.txt})
   */
  public record Snapshot(Map<String, List<Listed>> series) {
    /** Every file read. */
    public List<Listed> files() {
      List<Listed> all = new ArrayList<>();
      series.values().forEach(all::addAll);
      return all;
    }
  }
}
