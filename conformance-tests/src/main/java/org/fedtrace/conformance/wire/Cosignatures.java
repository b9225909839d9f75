package org.fedtrace.conformance.wire;

import java.nio.charset.StandardCharsets;
import org.fedtrace.proto.v1.Checkpoint;

/**
 * Witness cosignatures as transparency.md §15.2 defines them, written from the spec: C2SP {@code
 * cosignature/v1} over the checkpoint's note text, Ed25519.
 */
public final class Cosignatures {
  private Cosignatures() {}

  /** The bytes a cosignature of {@code c} made at {@code timeUnixSeconds} signs. */
  public static byte[] message(Checkpoint c, long timeUnixSeconds) {
    return ("cosignature/v1\ntime " + timeUnixSeconds + "\n" + Checkpoints.noteText(c))
        .getBytes(StandardCharsets.UTF_8);
  }
}
