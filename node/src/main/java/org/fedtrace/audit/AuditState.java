package org.fedtrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedtrace.tlog.MerkleHashes;

/**
 * What an auditor remembers between runs: for each log, the latest checkpoint it verified (size,
 * root, time and the complete signed note, which is evidence any C2SP verifier can check), and the
 * identity it audits. Immutable; saved as JSON.
 */
public final class AuditState {
  /** Value of the file's {@code format} field. */
  public static final String FORMAT = "fedtrace.audit-state.v1";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A checkpoint the auditor verified.
   *
   * @param signedNote the checkpoint as a C2SP signed note
   */
  public record Seen(long treeSize, byte[] rootHash, long timeUnixMillis, String signedNote) {
    /** Copies the root. */
    public Seen {
      rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }
  }

  private final String target;
  private final Map<String, Seen> logs;

  private AuditState(String target, Map<String, Seen> logs) {
    this.target = target;
    this.logs = Map.copyOf(logs);
  }

  /** A state that has seen nothing. */
  public static AuditState empty() {
    return new AuditState("", Map.of());
  }

  /** The identity ({@code CC/operator-id}) last audited, or "" when none. */
  public String target() {
    return target;
  }

  /** This state with {@code target} as the audited identity. */
  public AuditState withTarget(String target) {
    return new AuditState(target, logs);
  }

  /** The latest checkpoint verified for the log {@code origin}. */
  public Optional<Seen> seen(String origin) {
    return Optional.ofNullable(logs.get(origin));
  }

  /** This state with {@code seen} as the latest checkpoint of {@code origin}. */
  public AuditState with(String origin, Seen seen) {
    Map<String, Seen> next = new TreeMap<>(logs);
    next.put(origin, seen);
    return new AuditState(target, next);
  }

  /**
   * Reads a state file; a missing file is the empty state.
   *
   * @throws IOException if the file cannot be read or is not a state file
   */
  public static AuditState load(Path file) throws IOException {
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty();
    }
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new IOException(file + " is not an audit state file (format " + FORMAT + ")");
      }
      Map<String, Seen> logs = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : root.path("logs").properties()) {
        JsonNode n = e.getValue();
        byte[] rootHash = HexFormat.of().parseHex(n.path("root_hash").asText());
        if (!n.path("tree_size").canConvertToLong()
            || rootHash.length != MerkleHashes.LENGTH
            || !n.path("time_unix_millis").canConvertToLong()) {
          throw new IOException(file + ": the entry of " + e.getKey() + " is malformed");
        }
        logs.put(
            e.getKey(),
            new Seen(
                n.path("tree_size").asLong(),
                rootHash,
                n.path("time_unix_millis").asLong(),
                n.path("signed_note").asText()));
      }
      return new AuditState(root.path("target").asText(""), logs);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Writes the state to {@code file}, replacing it in one step. */
  public void save(Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("target", target);
    ObjectNode out = root.putObject("logs");
    for (Map.Entry<String, Seen> e : new TreeMap<>(logs).entrySet()) {
      ObjectNode n = out.putObject(e.getKey());
      n.put("tree_size", e.getValue().treeSize());
      n.put("root_hash", HexFormat.of().formatHex(e.getValue().rootHash()));
      n.put("time_unix_millis", e.getValue().timeUnixMillis());
      n.put("signed_note", e.getValue().signedNote());
    }
    Path absolute = file.toAbsolutePath();
    Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.writeString(tmp, MAPPER.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
