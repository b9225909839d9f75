package org.fedtrace.tlog;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;

/**
 * Checkpoints as C2SP signed notes (spec/transparency.md section 5.3): the signature covers the
 * note text of a C2SP tlog-checkpoint, so any C2SP checkpoint verifier can check a fedtrace
 * checkpoint given the node's key.
 *
 * <pre>
 * fedtrace.v1/CC/operator-id        origin, which is also the signing key's name
 * 42                                tree size, decimal
 * base64(root hash)                 RFC 6962 root, standard base64 with padding
 * time_unix_millis 1795654800123    one extension line: when the checkpoint was signed
 * </pre>
 *
 * <p>Every line ends with a newline (0x0a). The signature is pure Ed25519 over these bytes, by the
 * node's batch-signing key. The text starts with {@code "fedtrace.v1/"}, which no other fedtrace
 * signed encoding does (they start with {@code "fedtrace.v1."}), so a checkpoint signature can
 * never be taken for a batch signature or the reverse.
 */
public final class Checkpoints {
  /** Start of every fedtrace log origin. */
  public static final String ORIGIN_PREFIX = "fedtrace.v1/";

  /** Signature type byte of Ed25519 in C2SP signed notes. */
  public static final byte ED25519_TYPE = 0x01;

  private static final Pattern ORIGIN =
      Pattern.compile(Pattern.quote(ORIGIN_PREFIX) + "[A-Z]{2}/[a-z0-9-]{1,32}");
  private static final String TIME_LINE = "time_unix_millis ";
  private static final String EM_DASH = "\u2014";

  private Checkpoints() {}

  /** The origin of {@code operator}'s log: {@code fedtrace.v1/CC/operator-id}. */
  public static String logOrigin(OperatorIdentity operator) {
    return ORIGIN_PREFIX + operator.country() + "/" + operator.operatorId();
  }

  /**
   * The note text that {@code c.signature} covers, rebuilt from its fields.
   *
   * @throws IllegalArgumentException if a field cannot appear in a checkpoint: an origin not of the
   *     form {@code fedtrace.v1/CC/operator-id}, a tree size of 2^63 or more, a root hash not of 32
   *     bytes, a negative time
   */
  public static byte[] noteText(Checkpoint c) {
    if (!ORIGIN.matcher(c.getLogOrigin()).matches()) {
      throw new IllegalArgumentException("log_origin must be fedtrace.v1/CC/operator-id");
    }
    if (c.getTreeSize() < 0) {
      throw new IllegalArgumentException("tree_size must be below 2^63");
    }
    if (c.getRootHash().size() != MerkleHashes.LENGTH) {
      throw new IllegalArgumentException("root_hash must be 32 bytes");
    }
    if (c.getTimeUnixMillis() < 0) {
      throw new IllegalArgumentException("time_unix_millis must not be negative");
    }
    String text =
        c.getLogOrigin()
            + "\n"
            + c.getTreeSize()
            + "\n"
            + Base64.getEncoder().encodeToString(c.getRootHash().toByteArray())
            + "\n"
            + TIME_LINE
            + c.getTimeUnixMillis()
            + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** A checkpoint of the given tree, signed by {@code key}, carrying {@code certificateDer}. */
  public static Checkpoint sign(
      String logOrigin,
      long treeSize,
      byte[] rootHash,
      long timeUnixMillis,
      Signer key,
      byte[] certificateDer) {
    Checkpoint unsigned =
        Checkpoint.newBuilder()
            .setLogOrigin(logOrigin)
            .setTreeSize(treeSize)
            .setRootHash(ByteString.copyFrom(rootHash))
            .setTimeUnixMillis(timeUnixMillis)
            .setSignerCertificate(ByteString.copyFrom(certificateDer))
            .build();
    return unsigned.toBuilder()
        .setSignature(ByteString.copyFrom(key.sign(noteText(unsigned))))
        .build();
  }

  /**
   * Checks the checkpoint's signature under {@code key}, over the note text rebuilt from its
   * fields.
   *
   * @throws SignatureException if a field cannot appear in a checkpoint or the signature does not
   *     verify
   */
  public static void verify(Checkpoint c, VerifyingKey key) throws SignatureException {
    byte[] text;
    try {
      text = noteText(c);
    } catch (IllegalArgumentException e) {
      throw new SignatureException("not a well-formed checkpoint: " + e.getMessage(), e);
    }
    key.verify(text, c.getSignature().toByteArray());
  }

  /**
   * The C2SP key ID of {@code key} under the key name {@code name}: the first four bytes of {@code
   * SHA-256(name || 0x0a || 0x01 || public key)}.
   */
  public static byte[] keyId(String name, VerifyingKey key) {
    byte[] h =
        Sha256.hash(
            name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', ED25519_TYPE}, key.raw());
    return new byte[] {h[0], h[1], h[2], h[3]};
  }

  /**
   * The checkpoint as a complete C2SP signed note: the note text, an empty line, and the signature
   * line {@code — <origin> base64(key ID || signature)}. What an independent verifier checks with
   * {@link #verifierKey}.
   */
  public static String signedNote(Checkpoint c, VerifyingKey key) {
    byte[] sig =
        ByteBuffer.allocate(4 + c.getSignature().size())
            .put(keyId(c.getLogOrigin(), key))
            .put(c.getSignature().toByteArray())
            .array();
    return new String(noteText(c), StandardCharsets.US_ASCII)
        + "\n"
        + EM_DASH
        + " "
        + c.getLogOrigin()
        + " "
        + Base64.getEncoder().encodeToString(sig)
        + "\n";
  }

  /**
   * The verifier key of the log in the text form that signed-note tools read: {@code <name>+<key ID
   * in hex>+base64(0x01 || public key)}.
   */
  public static String verifierKey(String name, VerifyingKey key) {
    byte[] typed =
        ByteBuffer.allocate(1 + VerifyingKey.LENGTH).put(ED25519_TYPE).put(key.raw()).array();
    return name
        + "+"
        + HexFormat.of().formatHex(keyId(name, key))
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }
}
