package org.fedtrace.tlog.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.crypto.Sha256;

/**
 * A Wycheproof-style vector file under construction (the layout of spec/testvectors/README.md), and
 * the deterministic bytes the transparency-log generators draw from.
 */
final class Vectors {
  static final HexFormat HEX = HexFormat.of();

  private final Map<String, String> notes = new LinkedHashMap<>();
  private final Set<String> used = new LinkedHashSet<>();
  private final ArrayNode groups = JsonNodeFactory.instance.arrayNode();
  private int tests;

  /** Explains {@code flag}; every flag a test uses needs a note, and every note a use. */
  Vectors note(String flag, String text) {
    notes.put(flag, text);
    return this;
  }

  ObjectNode group(String type) {
    ObjectNode g = groups.addObject();
    g.put("type", type);
    return g;
  }

  /** A test in {@code group} with the next tcId; the caller adds fields and {@code result}. */
  ObjectNode test(ObjectNode group, String comment, String... flags) {
    ArrayNode list = group.has("tests") ? (ArrayNode) group.get("tests") : group.putArray("tests");
    ObjectNode t = list.addObject();
    t.put("tcId", ++tests);
    t.put("comment", comment);
    ArrayNode f = t.putArray("flags");
    for (String flag : flags) {
      if (!notes.containsKey(flag)) {
        throw new IllegalArgumentException("flag without a note: " + flag);
      }
      used.add(flag);
      f.add(flag);
    }
    return t;
  }

  String format(String algorithm, String version, List<String> header) {
    for (String flag : notes.keySet()) {
      if (!used.contains(flag)) {
        throw new IllegalStateException("note for an unused flag: " + flag);
      }
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("algorithm", algorithm);
    root.put("generatorVersion", version);
    header.forEach(root.putArray("header")::add);
    root.put("numberOfTests", tests);
    ObjectNode n = root.putObject("notes");
    notes.forEach(n::put);
    root.set("testGroups", groups);
    return TestVectorFiles.format(root);
  }

  static ArrayNode hexList(ObjectNode parent, String field, List<byte[]> values) {
    ArrayNode a = parent.putArray(field);
    for (byte[] v : values) {
      a.add(HEX.formatHex(v));
    }
    return a;
  }

  /**
   * {@code n} bytes of {@code SHA-256("fedtrace.testvectors.tlog" 0x00 | label | u64 i)} blocks: a
   * public, fixed byte source, so that a run always writes the same file.
   */
  static byte[] drbg(String label, int n) {
    byte[] out = new byte[n];
    byte[] domain = "fedtrace.testvectors.tlog\0".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0, filled = 0; filled < n; i++, filled += Sha256.LENGTH) {
      byte[] block =
          Sha256.hash(
              domain,
              label.getBytes(StandardCharsets.UTF_8),
              ByteBuffer.allocate(8).putLong(i).array());
      System.arraycopy(block, 0, out, filled, Math.min(Sha256.LENGTH, n - filled));
    }
    return out;
  }
}
