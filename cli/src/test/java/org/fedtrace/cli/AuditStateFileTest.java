package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code fedtrace audit} keeps its state in the auditor's operator folder unless told otherwise.
 */
class AuditStateFileTest {
  private static AuditCommand parsed(String... args) {
    AuditCommand audit = new AuditCommand();
    new CommandLine(audit).parseArgs(args);
    return audit;
  }

  @Test
  void theStateFileDefaultsToTheOperatorFolderNotTheCurrentDirectory() {
    assertEquals(
        Path.of("de", "audit-state.json"),
        parsed("--target", "DE=localhost:7443", "--tls", "de").stateFile());
    assertEquals(
        Path.of("elsewhere.json"),
        parsed("--target", "DE=localhost:7443", "--tls", "de", "--state", "elsewhere.json")
            .stateFile());
  }
}
