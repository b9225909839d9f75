package org.fedtrace.tlog.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.batch.vectors.VectorDrbg;

/**
 * What the transparency-log vector generators share beyond {@link
 * org.fedtrace.batch.vectors.VectorFile}: hex lists and their deterministic byte source.
 */
final class Vectors {
  static final HexFormat HEX = HexFormat.of();

  private Vectors() {}

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
    return new VectorDrbg("fedtrace.testvectors.tlog", label).bytes(n);
  }
}
