package org.fedtrace.tlog;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;

/**
 * Witness cosignatures in the style of C2SP tlog-cosignature, version {@code cosignature/v1} with
 * Ed25519 (spec/transparency.md §15.2). The witness signs, with its batch-signing key:
 *
 * <pre>
 * cosignature/v1                  the fixed header line, which separates the domain
 * time 1795654800                 when the witness cosigned, seconds, decimal
 * &lt;the checkpoint's note text&gt;    all four lines of §5.3, the time line included
 * </pre>
 *
 * <p>No other fedtrace signed message starts with {@code "cosignature/v1"}: batches start {@code
 * "fedtrace.v1."}, checkpoints {@code "fedtrace.v1/"}. The key name of a witness is {@code
 * fedtrace.v1/witness/CC/operator-id}; its key ID uses signature type 0x04 as C2SP asks of
 * timestamped Ed25519 cosignatures, and its signature line carries {@code key ID || u64 time ||
 * signature}.
 */
public final class Cosignatures {
  /** Prefix of every witness key name. */
  public static final String NAME_PREFIX = "fedtrace.v1/witness/";

  /** Signature type byte of timestamped Ed25519 cosignatures in C2SP signed notes. */
  public static final byte COSIGNATURE_TYPE = 0x04;

  private static final String HEADER = "cosignature/v1\n";
  private static final String EM_DASH = "\u2014";

  private Cosignatures() {}

  /** The key name of {@code witness}: {@code fedtrace.v1/witness/CC/operator-id}. */
  public static String keyName(OperatorIdentity witness) {
    return NAME_PREFIX + witness;
  }

  /**
   * The bytes a cosignature of {@code checkpoint} made at {@code timeUnixSeconds} covers.
   *
   * @throws IllegalArgumentException if the checkpoint's fields are not well formed, or the time is
   *     negative
   */
  public static byte[] message(Checkpoint checkpoint, long timeUnixSeconds) {
    if (timeUnixSeconds < 0) {
      throw new IllegalArgumentException("a cosignature's time must not be negative");
    }
    byte[] head = (HEADER + "time " + timeUnixSeconds + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = Checkpoints.noteText(checkpoint);
    return ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
  }

  /** {@code witness}'s cosignature of {@code checkpoint} at {@code timeUnixSeconds}. */
  public static Cosignature sign(
      Checkpoint checkpoint,
      OperatorIdentity witness,
      long timeUnixSeconds,
      Signer key,
      byte[] certificateDer) {
    return Cosignature.newBuilder()
        .setWitness(witness.toString())
        .setTimeUnixSeconds(timeUnixSeconds)
        .setSignature(ByteString.copyFrom(key.sign(message(checkpoint, timeUnixSeconds))))
        .setWitnessCertificate(ByteString.copyFrom(certificateDer))
        .build();
  }

  /**
   * Checks {@code cosignature} of {@code checkpoint} under {@code key}, the witness's key.
   *
   * @throws SignatureException if the checkpoint or the time is malformed or the signature does not
   *     verify
   */
  public static void verify(Checkpoint checkpoint, Cosignature cosignature, VerifyingKey key)
      throws SignatureException {
    byte[] message;
    try {
      message = message(checkpoint, cosignature.getTimeUnixSeconds());
    } catch (IllegalArgumentException e) {
      throw new SignatureException("not a well-formed cosignature: " + e.getMessage(), e);
    }
    key.verify(message, cosignature.getSignature().toByteArray());
  }

  /**
   * The C2SP key ID of a witness key: the first four bytes of {@code SHA-256(name || 0x0a || 0x04
   * || public key)}.
   */
  public static byte[] keyId(String name, VerifyingKey key) {
    byte[] h =
        Sha256.hash(
            name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', COSIGNATURE_TYPE}, key.raw());
    return new byte[] {h[0], h[1], h[2], h[3]};
  }

  /**
   * The signature line of a cosignature: {@code — <key name> base64(key ID || u64 time ||
   * signature)}, with its newline.
   */
  public static String signatureLine(Cosignature c, VerifyingKey key) {
    String name = NAME_PREFIX + c.getWitness();
    byte[] sig =
        ByteBuffer.allocate(4 + 8 + c.getSignature().size())
            .put(keyId(name, key))
            .putLong(c.getTimeUnixSeconds())
            .put(c.getSignature().toByteArray())
            .array();
    return EM_DASH + " " + name + " " + Base64.getEncoder().encodeToString(sig) + "\n";
  }

  /**
   * The cosigned checkpoint as one C2SP signed note: the log's signed note followed by one line per
   * cosignature, in the order given.
   *
   * @param logKey the log's key
   * @param witnessKeys the key of each cosignature's witness, in the same order
   */
  public static String signedNote(
      CosignedCheckpoint c, VerifyingKey logKey, List<VerifyingKey> witnessKeys) {
    StringBuilder note = new StringBuilder(Checkpoints.signedNote(c.getCheckpoint(), logKey));
    for (int i = 0; i < c.getCosignaturesCount(); i++) {
      note.append(signatureLine(c.getCosignatures(i), witnessKeys.get(i)));
    }
    return note.toString();
  }

  /** A witness key in the verifier-key text form: {@code <name>+<key ID>+base64(0x04 || key)}. */
  public static String verifierKey(String name, VerifyingKey key) {
    byte[] typed =
        ByteBuffer.allocate(1 + VerifyingKey.LENGTH).put(COSIGNATURE_TYPE).put(key.raw()).array();
    return name
        + "+"
        + HexFormat.of().formatHex(keyId(name, key))
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }
}
