package org.fedtrace.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedtrace.fuzz.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the node.yaml loader. Whatever the file holds, loading either returns a configuration or
 * refuses it with an {@link InvalidConfigException} whose message names what is wrong; any other
 * exception (a parser's own, a number that overflows, a null) is a finding. A configuration that
 * loads writes back to YAML that loads to the same configuration.
 */
public class ConfigFuzzTest {
  private static final Path DIR = tempDir();

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void load(byte[] yaml) {
    run(yaml);
  }

  static boolean run(byte[] yaml) {
    Path file = DIR.resolve("node.yaml");
    try {
      Files.write(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NodeConfig config;
    try {
      config = NodeConfig.load(file);
    } catch (InvalidConfigException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says why");
      return false;
    }
    try {
      Files.writeString(file, NodeConfigWriter.yaml(config));
      assertEquals(config, NodeConfig.load(file));
    } catch (IOException | InvalidConfigException e) {
      throw new AssertionError("a loaded configuration does not load again once written", e);
    }
    return true;
  }

  @Test
  void theExampleLoadsAndBrokenFilesAreRefused() throws IOException {
    byte[] example = Files.readAllBytes(Path.of("config", "example-node.yaml"));
    Seeds.offer(ConfigFuzzTest.class, "load", "example-node", example);
    assertEquals(true, run(example));
    assertEquals(false, run("listen: [".getBytes(StandardCharsets.UTF_8)));
    assertEquals(false, run("listen: 0.0.0.0:99999999999\n".getBytes(StandardCharsets.UTF_8)));
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("config-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
