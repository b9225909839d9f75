package org.fedtrace.conformance.cases;

import java.time.Instant;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;

/**
 * spec/transparency.md §5.3, §6.2 and §6.3: the node's signed checkpoints (rules R13.10 to R13.16),
 * checked as every client checks them: C2SP note text, Ed25519 under the node's batch-signing
 * certificate issued by the kit's authority, consistency over time.
 */
public final class CheckpointCases extends LogCaseBase {
  public CheckpointCases(Session s) {
    super(s);
  }

  /**
   * R13.10: the checkpoint after a publish is not smaller than the one before and the node's
   * consistency proof between them verifies with the suite's RFC 9162 verifier. When it fails: the
   * node rewrote or lost entries it had signed.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_10_signsConsistentCheckpoints() {
    AroundPublish p = aroundPublish();
    log.assertConsistent(p.before(), p.after(), "R13.10");
    log.assertConsistent(p.after(), p.again(), "R13.10");
  }

  /**
   * R13.11: the checkpoint's signature verifies, with the JDK's Ed25519, over the note text the
   * suite rebuilds from its fields (§5.3), under the key of its signer_certificate. When it fails:
   * the node signs other bytes (no time line, another layout) or with another key.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_11_signsCheckpointsOverTheNoteText() {
    log.verify(log.unverifiedCheckpoint());
  }

  /**
   * R13.12: the checkpoint's signer_certificate is a batch-signing certificate the kit's authority
   * issued to the node: it chains to the authority, is valid now, its extended key usage is exactly
   * the batch-signing purpose, its identity is the node's, its key Ed25519. When it fails: the node
   * signs checkpoints with its TLS key or another operator's certificate.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_12_namesItsBatchSigningCertificate() {
    log.signerKey(log.unverifiedCheckpoint());
  }

  /**
   * R13.13: log_origin is {@code fedtrace.v1/CC/operator-id} of the node's identity (GetNodeInfo).
   * When it fails: auditors cannot tell which log they hold.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_13_namesItsLogOrigin() {
    Expect.equal(log.origin(), log.unverifiedCheckpoint().getLogOrigin(), "R13.13 log_origin");
  }

  /**
   * R13.14: checkpoints fetched one after another (before a publish, after it, and again) are dated
   * in non-decreasing order. When it fails: the node's signed time goes back.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_14_neverDatesCheckpointsBack() {
    AroundPublish p = aroundPublish();
    Expect.check(
        p.before().getTimeUnixMillis() <= p.after().getTimeUnixMillis()
            && p.after().getTimeUnixMillis() <= p.again().getTimeUnixMillis(),
        "R13.14: checkpoint times "
            + p.before().getTimeUnixMillis()
            + ", "
            + p.after().getTimeUnixMillis()
            + ", "
            + p.again().getTimeUnixMillis()
            + " decrease");
  }

  /**
   * R13.15: the checkpoint fetched after a publish covers the entry its receipt names (tree_size
   * greater than the receipt's leaf_index). When it fails: the node answers a stale checkpoint.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_15_coversEntriesAppendedBefore() {
    AroundPublish p = aroundPublish();
    long index = p.response().getReceipt().getLeafIndex();
    Expect.check(
        p.after().getTreeSize() > index,
        "R13.15: the checkpoint of "
            + p.after().getTreeSize()
            + " entries does not cover entry "
            + index
            + " appended before the call");
  }

  /**
   * R13.16: GetCheckpoint answers a checkpoint signed no more than 300 s before the call, allowing
   * 300 s of clock difference between the suite and the node (as the audit of §9.1 does). When it
   * fails: the node serves a frozen log.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_16_signsCheckpointsRecently() {
    long now = Instant.now().toEpochMilli();
    long time = log.checkpoint().getTimeUnixMillis();
    long skew = LogReader.SKEW_SECONDS * 1000;
    Expect.check(
        time >= now - 300_000 - skew && time <= now + skew,
        "R13.16: the checkpoint is signed " + (now - time) / 1000 + " s before the call");
  }
}
