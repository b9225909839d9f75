package org.fedtrace.conformance.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.proto.v1.Checkpoint;

/**
 * The suite's own reading of checkpoints as C2SP signed notes (spec/transparency.md §5.3), written
 * from the spec and c2sp.org/signed-note and checked against
 * spec/testvectors/transparency_log_v1.json: the note text a checkpoint's signature covers, the
 * complete signed note, the signed-note key ID and verifier key, and the signature check.
 */
public final class Checkpoints {
  /** The prefix of every log origin. */
  public static final String ORIGIN_PREFIX = "fedtrace.v1/";

  private static final Pattern ORIGIN =
      Pattern.compile("fedtrace\\.v1/([A-Z]{2})/([a-z0-9-]{1,32})");
  private static final byte SIGNATURE_TYPE_ED25519 = 0x01;

  private Checkpoints() {}

  /** The log origin of {@code identity}'s log (R13.13). */
  public static String logOrigin(Identity identity) {
    return ORIGIN_PREFIX + identity.country() + "/" + identity.operatorId();
  }

  /**
   * The identity a log origin names.
   *
   * @throws IllegalArgumentException if {@code origin} is not {@code fedtrace.v1/CC/operator-id}
   */
  public static Identity identity(String origin) {
    Matcher m = ORIGIN.matcher(origin);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + origin + "' is not fedtrace.v1/CC/operator-id");
    }
    return new Identity(m.group(1), m.group(2));
  }

  /**
   * The note text the checkpoint's signature covers, rebuilt from its fields.
   *
   * @throws IllegalArgumentException if a field cannot be written (a root that is not 32 bytes, a
   *     tree size of 2^63 or more, a negative time, a line break in the origin)
   */
  public static String noteText(Checkpoint c) {
    if (c.getRootHash().size() != Merkle.HASH_BYTES) {
      throw new IllegalArgumentException("root_hash is " + c.getRootHash().size() + " bytes");
    }
    if (c.getTreeSize() < 0) {
      throw new IllegalArgumentException("tree_size is 2^63 or more");
    }
    if (c.getTimeUnixMillis() < 0) {
      throw new IllegalArgumentException("time_unix_millis is negative");
    }
    if (c.getLogOrigin().isEmpty() || c.getLogOrigin().contains("\n")) {
      throw new IllegalArgumentException("log_origin is empty or spans lines");
    }
    return c.getLogOrigin()
        + "\n"
        + c.getTreeSize()
        + "\n"
        + Base64.getEncoder().encodeToString(c.getRootHash().toByteArray())
        + "\ntime_unix_millis "
        + c.getTimeUnixMillis()
        + "\n";
  }

  /** Whether the checkpoint's signature verifies over its note text under {@code publicKey}. */
  public static boolean verifies(Checkpoint c, byte[] publicKey) {
    byte[] text;
    try {
      text = noteText(c).getBytes(StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Ed25519.verify(publicKey, text, c.getSignature().toByteArray());
  }

  /**
   * The signed-note key ID of {@code publicKey} under the key name {@code origin}: the first four
   * bytes of SHA-256(name ‖ 0x0a ‖ 0x01 ‖ key).
   */
  public static byte[] keyId(String origin, byte[] publicKey) {
    byte[] name = origin.getBytes(StandardCharsets.UTF_8);
    byte[] hash =
        Canonical.sha256(
            ByteBuffer.allocate(name.length + 2 + publicKey.length)
                .put(name)
                .put((byte) '\n')
                .put(SIGNATURE_TYPE_ED25519)
                .put(publicKey)
                .array());
    return Arrays.copyOf(hash, 4);
  }

  /** The verifier key in signed-note text form: {@code name+keyid+base64(0x01 ‖ key)}. */
  public static String verifierKey(String origin, byte[] publicKey) {
    byte[] typed = new byte[publicKey.length + 1];
    typed[0] = SIGNATURE_TYPE_ED25519;
    System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
    return origin
        + "+"
        + HexFormat.of().formatHex(keyId(origin, publicKey))
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /** The checkpoint as a complete C2SP signed note with its one signature line. */
  public static String signedNote(Checkpoint c, byte[] publicKey) {
    byte[] signature = c.getSignature().toByteArray();
    byte[] line = new byte[4 + signature.length];
    System.arraycopy(keyId(c.getLogOrigin(), publicKey), 0, line, 0, 4);
    System.arraycopy(signature, 0, line, 4, signature.length);
    return noteText(c)
        + "\n\u2014 "
        + c.getLogOrigin()
        + " "
        + Base64.getEncoder().encodeToString(line)
        + "\n";
  }
}
