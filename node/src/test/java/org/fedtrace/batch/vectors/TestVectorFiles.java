package org.fedtrace.batch.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's test vectors live ({@code spec/testvectors/} under the repository root) and
 * how they are written, so that a generator's output is the same bytes on every machine.
 */
public final class TestVectorFiles {
  /** The folder of the test vectors, relative to the repository root. */
  public static final Path DIRECTORY = Path.of("spec", "testvectors");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestVectorFiles() {}

  /**
   * The repository root: the nearest folder, from the working directory upwards, that holds the
   * Maven wrapper {@code mvnw}. Maven runs tests in the module folder, an IDE maybe at the root.
   *
   * @throws IllegalStateException if no such folder exists
   */
  public static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no folder holding mvnw at or above " + start);
  }

  /** The test vector file {@code name} in the repository's {@code spec/testvectors/}. */
  public static Path file(String name) {
    return repositoryRoot().resolve(DIRECTORY).resolve(name);
  }

  /** Parses the test vector file {@code name}. */
  public static JsonNode read(String name) {
    try {
      return MAPPER.readTree(file(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vectors " + name, e);
    }
  }

  /**
   * The stable text form of a vector file: two-space indentation, {@code "name": value}, LF line
   * ends whatever the platform, object fields in insertion order, and a final line end.
   */
  public static String format(JsonNode root) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    try {
      return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  /**
   * Writes {@code text} as UTF-8 to the file {@code name} in the folder {@code args[0]}, or in the
   * repository's {@code spec/testvectors/} when {@code args} is empty, and says so: the {@code
   * main} of every generator.
   */
  static void write(String[] args, String name, String text) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : repositoryRoot().resolve(DIRECTORY);
    Files.createDirectories(dir);
    Path out = dir.resolve(name);
    Files.writeString(out, text, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }
}
