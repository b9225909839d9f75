package org.fedtrace.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Public test data of other projects, in the folder {@code shared} beside the project's clone. CI
 * provides it; a fresh clone has none, and the tests that need it skip saying so.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The file {@code relative} inside ../shared, or a skipped test (with the reason) when it is
   * absent.
   */
  public static Path require(String relative) {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("mvnw"))) {
      root = root.getParent();
    }
    Path file =
        (root == null ? Path.of("..", "shared") : root.resolveSibling("shared"))
            .resolve(relative)
            .normalize();
    Assumptions.assumeTrue(
        Files.isRegularFile(file),
        "skipped: " + file + " is absent (it exists beside the project in CI, not in a clone)");
    return file;
  }
}
