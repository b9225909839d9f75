package org.fedtrace.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fedtrace.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditStateTest {
  @TempDir Path tmp;

  @Test
  void aMissingFileIsTheEmptyState() throws IOException {
    AuditState s = AuditState.load(tmp.resolve("none.json"));
    assertEquals("", s.target());
    assertEquals(Optional.empty(), s.seen("fedtrace.v1/DE/op-de"));
  }

  @Test
  void savesAndLoadsEveryLog() throws IOException {
    byte[] root = TestLogs.batch("root");
    AuditState s =
        AuditState.empty()
            .withTarget("DE/op-de")
            .with("fedtrace.v1/DE/op-de", new AuditState.Seen(12, root, 1_000, "note\n"))
            .with("fedtrace.v1/FR/op-fr", new AuditState.Seen(0, root, 2_000, "other\n"));
    Path file = tmp.resolve("audit-state.json");
    s.save(file);
    AuditState back = AuditState.load(file);
    assertEquals("DE/op-de", back.target());
    AuditState.Seen de = back.seen("fedtrace.v1/DE/op-de").orElseThrow();
    assertEquals(12, de.treeSize());
    assertArrayEquals(root, de.rootHash());
    assertEquals(1_000, de.timeUnixMillis());
    assertEquals("note\n", de.signedNote());
    assertEquals(0, back.seen("fedtrace.v1/FR/op-fr").orElseThrow().treeSize());
    assertTrue(Files.readString(file).startsWith("{\n  \"format\" : \"fedtrace.audit-state.v1\""));
  }

  @Test
  void refusesAFileOfAnotherKind() throws IOException {
    Path file = tmp.resolve("state.json");
    Files.writeString(file, "{\"format\": \"something else\"}");
    IOException e = assertThrows(IOException.class, () -> AuditState.load(file));
    assertEquals(
        file + " is not an audit state file (format fedtrace.audit-state.v1)", e.getMessage());
    Files.writeString(
        file,
        "{\"format\": \"fedtrace.audit-state.v1\", \"logs\": {\"x\": {\"tree_size\": 1,"
            + " \"root_hash\": \"abcd\", \"time_unix_millis\": 1}}}");
    e = assertThrows(IOException.class, () -> AuditState.load(file));
    assertEquals(file + ": the entry of x is malformed", e.getMessage());
  }
}
