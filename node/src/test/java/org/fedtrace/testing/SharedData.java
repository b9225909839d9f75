package org.fedtrace.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Public test data of other projects, in the folder {@code shared} beside the project's clone. CI
 * provides it; a fresh clone has none, and the tests that need it skip saying so.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The file {@code relative} inside the {@code shared} folder beside the project: a skipped test
   * (with the reason) when that folder is absent, a failed one when the folder is there but the
   * file is not (a sample renamed or removed must not turn the test into a silent skip).
   */
  public static Path require(String relative) {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("mvnw"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("not inside the project: no mvnw above " + Path.of(""));
    }
    Path shared = root.resolveSibling("shared");
    Assumptions.assumeTrue(
        Files.isDirectory(shared),
        "skipped: " + shared + " is absent (it exists beside the project in CI, not in a clone)");
    Path file = shared.resolve(relative).normalize();
    Assertions.assertTrue(Files.isRegularFile(file), file + " is missing from " + shared);
    return file;
  }
}
