package org.fedtrace.sim.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated node process refuses to start on arguments the simulator would never pass. */
class SimulatedNodeTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String start(String... args) throws Exception {
    assertNull(SimulatedNode.start(args, new PrintStream(err, true, StandardCharsets.UTF_8)));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void refusesAFileThatIsNotASimulatedClock() throws Exception {
    Path config = Files.writeString(dir.resolve("node.yaml"), "");
    Path clock = Files.write(dir.resolve("clock"), new byte[] {1, 2, 3});
    assertEquals(
        "fedtrace: " + clock + " is not a simulated-time file (3 bytes)\n",
        start(
            "--config",
            config.toString(),
            "--clock",
            clock.toString(),
            "--slot",
            "0",
            "--seed",
            "5"));
  }

  @Test
  void needsEveryOption() throws Exception {
    assertEquals(
        "fedtrace: --seed is missing; usage: SimulatedNode --config FILE --clock FILE --slot N"
            + " --seed N\n",
        start("--config", "node.yaml", "--clock", "clock", "--slot", "0"));
  }
}
