package org.fedtrace.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a valid input of a fuzz target into the target's inputs directory under {@code
 * src/test/resources}, where Jazzer replays it in every test run and starts mutating from it when
 * fuzzing. Only when the build sets {@code -Dfuzz.writeSeeds=true} (fuzz/README.md); otherwise
 * nothing is written.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * @param test the fuzz test's class
   * @param method the fuzz test's method name
   * @param name the seed file's name
   */
  public static void offer(Class<?> test, String method, String name, byte[] input) {
    if (!Boolean.getBoolean("fuzz.writeSeeds")) {
      return;
    }
    Path dir =
        Path.of("src", "test", "resources")
            .resolve(test.getPackageName().replace('.', '/'))
            .resolve(test.getSimpleName() + "Inputs")
            .resolve(method);
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(name), input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
