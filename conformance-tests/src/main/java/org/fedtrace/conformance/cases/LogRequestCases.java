package org.fedtrace.conformance.cases;

import io.grpc.Status;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;

/**
 * spec/transparency.md §6.4 to §6.6: GetEntries, GetInclusionProof and GetConsistencyProof (rules
 * R13.17 to R13.27): every refusal with its code, field and check order, sizes as unsigned 64-bit
 * numbers, and the answers verified with the suite's own RFC 6962 code.
 */
public final class LogRequestCases extends LogCaseBase {
  /** 2^64 − 1 as an unsigned request field. */
  private static final long MAX_UINT64 = -1L;

  public LogRequestCases(Session s) {
    super(s);
  }

  /**
   * R13.17: GetEntries with end equal to start (0, 0 and 1, 1), with end below start (2, 1), and
   * (2^64 − 1, 2^64 − 1), where R13.17 comes before R13.18: INVALID_ARGUMENT by R13.17 at {@code
   * end}. When it fails: empty or inverted ranges are answered, or the checks run in another order.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_17_refusesEmptyEntryRange() {
    atLeast(3);
    for (long[] r : new long[][] {{0, 0}, {1, 1}, {2, 1}, {MAX_UINT64, MAX_UINT64}}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.17", () -> entries(r[0], r[1]))
          .hasField("end", "R13.17");
    }
  }

  private Object entries(long start, long end) {
    return s.transparencyLog(a().tls())
        .getEntries(GetEntriesRequest.newBuilder().setStart(start).setEnd(end).build());
  }

  /**
   * R13.18: GetEntries(0, size + 1) and GetEntries(0, 2^64 − 1), size being the tree size of the
   * checkpoint fetched just before: INVALID_ARGUMENT by R13.18 at {@code end}. When it fails: the
   * node serves entries no checkpoint covers, or reads 2^64 − 1 as −1.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_18_refusesEntriesBeyondCheckpoint() {
    long size = log.checkpoint().getTreeSize();
    for (long end : new long[] {size + 1, MAX_UINT64}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.18", () -> entries(0, end))
          .hasField("end", "R13.18");
    }
  }

  /**
   * R13.19: GetEntries(0, size), and from the middle to the end, answer entries whose leaf_index is
   * start, start + 1, ... in order, at least one and at most end − start per answer, until the end
   * is reached (continuing after a short answer, R13.20). When it fails: entries come out of order,
   * repeated, or beyond the range.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_19_answersEntriesInOrder() {
    Checkpoint c = atLeast(2);
    long size = c.getTreeSize();
    Expect.equal((int) size, log.entries(0, size).size(), "R13.19 entries of [0, size)");
    Expect.equal(
        (int) (size - size / 2), log.entries(size / 2, size).size(), "R13.19 entries to the end");
  }

  private Object inclusion(long index, long size) {
    return s.transparencyLog(a().tls())
        .getInclusionProof(
            GetInclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(size).build());
  }

  /**
   * R13.21: GetInclusionProof of leaf 0 with tree_size 0, size + 1 and 2^64 − 1, and of leaf 2^64 −
   * 1 with tree_size 0 (R13.21 comes before R13.22): INVALID_ARGUMENT by R13.21 at {@code
   * tree_size}. When it fails: proofs for trees no checkpoint signed.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_21_refusesInclusionTreeSizeOutOfRange() {
    long size = atLeast(1).getTreeSize();
    for (long[] r : new long[][] {{0, 0}, {0, size + 1}, {0, MAX_UINT64}, {MAX_UINT64, 0}}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.21", () -> inclusion(r[0], r[1]))
          .hasField("tree_size", "R13.21");
    }
  }

  /**
   * R13.22: GetInclusionProof with leaf_index equal to tree_size (the checkpoint's size), and with
   * leaf_index 2^64 − 1: INVALID_ARGUMENT by R13.22 at {@code leaf_index}. When it fails: the node
   * answers proofs of leaves outside the tree.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_22_refusesLeafIndexNotBelowTreeSize() {
    long size = atLeast(1).getTreeSize();
    for (long index : new long[] {size, MAX_UINT64}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.22", () -> inclusion(index, size))
          .hasField("leaf_index", "R13.22");
    }
  }

  /**
   * R13.23 and R13.8: for the first, a middle and the last leaf of the checkpoint's tree, the
   * answer names the requested leaf_index and tree_size, and its audit_path leads from the suite's
   * leaf hash of the entry, SHA-256(0x00 ‖ encoding), to the signed root (RFC 9162 §2.1.3.2). When
   * it fails: paths are not RFC 6962's, or in another order (nearest sibling first).
   */
  @Needs(Need.TRANSPARENCY_LOG)
  @Covers("R13.8")
  public void R13_23_answersAuditPaths() {
    Checkpoint c = atLeast(3);
    long size = c.getTreeSize();
    for (long index : new long[] {0, size / 2, size - 1}) {
      log.assertIncluded(log.entry(index), c);
    }
  }

  private Object consistency(long first, long second) {
    return s.transparencyLog(a().tls())
        .getConsistencyProof(
            GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(first)
                .setSecondTreeSize(second)
                .build());
  }

  /**
   * R13.24: GetConsistencyProof from 0 to the checkpoint's size, and from 0 to 2^64 − 1 (R13.24
   * comes before R13.26): INVALID_ARGUMENT by R13.24 at {@code first_tree_size}. When it fails: the
   * node answers proofs from the empty tree.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_24_refusesConsistencyFromEmptyTree() {
    long size = atLeast(1).getTreeSize();
    for (long second : new long[] {size, MAX_UINT64}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.24", () -> consistency(0, second))
          .hasField("first_tree_size", "R13.24");
    }
  }

  /**
   * R13.25: GetConsistencyProof from size to size − 1, and from 2^64 − 1 to 1: INVALID_ARGUMENT by
   * R13.25 at {@code first_tree_size} (checked before R13.26). When it fails: sizes are compared as
   * signed numbers, or not at all.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_25_refusesConsistencyFirstAfterSecond() {
    long size = atLeast(2).getTreeSize();
    for (long[] r : new long[][] {{size, size - 1}, {MAX_UINT64, 1}}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.25", () -> consistency(r[0], r[1]))
          .hasField("first_tree_size", "R13.25");
    }
  }

  /**
   * R13.26: GetConsistencyProof from 1 to size + 1 and from 1 to 2^64 − 1: INVALID_ARGUMENT by
   * R13.26 at {@code second_tree_size}. When it fails: proofs to trees no checkpoint signed.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_26_refusesConsistencyBeyondCheckpoint() {
    long size = atLeast(1).getTreeSize();
    for (long second : new long[] {size + 1, MAX_UINT64}) {
      Expect.refused(Status.Code.INVALID_ARGUMENT, "R13.26", () -> consistency(1, second))
          .hasField("second_tree_size", "R13.26");
    }
  }

  /**
   * R13.27: the proof between the checkpoints before and after a publish verifies (RFC 9162
   * §2.1.4.2), and the proof between the size after and itself is empty. When it fails: proofs are
   * not RFC 6962's, or the node pads the equal-size proof.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_27_answersConsistencyProofs() {
    AroundPublish p = aroundPublish();
    long m = p.before().getTreeSize();
    long n = p.after().getTreeSize();
    Expect.check(n > m, "R13.15: the checkpoint after a publish is not larger than before");
    try {
      Merkle.verifyConsistency(
          m,
          n,
          p.before().getRootHash().toByteArray(),
          p.after().getRootHash().toByteArray(),
          log.consistencyProof(m, n));
    } catch (Merkle.InvalidProof e) {
      throw new AssertionError(
          "R13.27: the proof from " + m + " to " + n + " does not verify: " + e.getMessage(), e);
    }
    Expect.equal(0, log.consistencyProof(n, n).size(), "R13.27 elements of a proof from n to n");
  }
}
