package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.wire.Checkpoints;
import org.fedtrace.conformance.wire.LogEncoding;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.conformance.wire.SignerCertificates;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetInclusionProofResponse;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.LogReceipt;

/**
 * The suite as a client of a node's transparency log (spec/transparency.md §6): fetches
 * checkpoints, entries and proofs as member A and checks each with the suite's own code, as any
 * client must (R13.32): the checkpoint names the node's log, its signer certificate is a valid
 * batch-signing certificate of the node issued by the kit's authority, and the signature verifies
 * over the note text; entries encode (§5.1) and their audit paths lead to the signed root (§5.2).
 * Every failed check is an AssertionError naming the rule the node broke.
 */
final class LogReader {
  /** Largest log the suite fetches whole (R13.5's case); larger logs are sampled. */
  static final long MAX_WHOLE_LOG = 100_000;

  /** Clock difference tolerated between the suite and the node (protocol.md §1.3). */
  static final long SKEW_SECONDS = 300;

  private final Session s;

  LogReader(Session s) {
    this.s = s;
  }

  /** The node's identity, as GetNodeInfo gives it. */
  Identity node() {
    return new Identity(s.info().getNode().getCountry(), s.info().getNode().getOperatorId());
  }

  /** The origin of the node's log (R13.13). */
  String origin() {
    return Checkpoints.logOrigin(node());
  }

  private Credential caller() {
    return s.kit().memberA().tls();
  }

  /** GetCheckpoint as member A, checked with {@link #verify}. */
  Checkpoint checkpoint() {
    Checkpoint c = unverifiedCheckpoint();
    verify(c);
    return c;
  }

  /** GetCheckpoint as member A, unchecked. */
  Checkpoint unverifiedCheckpoint() {
    return Expect.<org.fedtrace.proto.v1.GetCheckpointResponse>succeeds(
            "GetCheckpoint",
            () ->
                s.transparencyLog(caller())
                    .getCheckpoint(GetCheckpointRequest.getDefaultInstance()))
        .getCheckpoint();
  }

  /**
   * Checks what every client checks of a checkpoint (R13.32): it names the node's log (R13.13),
   * carries a valid batch-signing certificate of the node (R13.12), and its signature verifies over
   * the note text (R13.11).
   */
  void verify(Checkpoint c) {
    Expect.equal(origin(), c.getLogOrigin(), "R13.13 log_origin");
    byte[] key = signerKey(c);
    try {
      Checkpoints.noteText(c);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("R13.11: the checkpoint has no note text: " + e.getMessage(), e);
    }
    Expect.check(
        Checkpoints.verifies(c, key),
        "R13.11: the checkpoint's signature does not verify over its note text under the key of"
            + " its signer_certificate");
  }

  /** The Ed25519 key of the checkpoint's signer certificate, after checking it names the node. */
  byte[] signerKey(Checkpoint c) {
    SignerCertificates.Signer signer;
    try {
      signer =
          SignerCertificates.validate(
              c.getSignerCertificate().toByteArray(), s.kit().ca(), Instant.now());
    } catch (CertificateException e) {
      throw new AssertionError(
          "R13.12: the checkpoint's signer_certificate is no valid batch-signing certificate: "
              + e.getMessage(),
          e);
    }
    Expect.equal(node(), signer.identity(), "R13.12 identity of the signer_certificate");
    return signer.publicKey();
  }

  /** Entries {@code [start, end)}, page after page, each page checked against R13.19. */
  List<LogEntry> entries(long start, long end) {
    List<LogEntry> out = new ArrayList<>();
    long next = start;
    while (next < end) {
      long from = next;
      List<LogEntry> page =
          Expect.<org.fedtrace.proto.v1.GetEntriesResponse>succeeds(
                  "GetEntries(" + from + ", " + end + ")",
                  () ->
                      s.transparencyLog(caller())
                          .getEntries(
                              GetEntriesRequest.newBuilder().setStart(from).setEnd(end).build()))
              .getEntriesList();
      Expect.check(
          !page.isEmpty() && page.size() <= end - from,
          "R13.19: GetEntries(" + from + ", " + end + ") answered " + page.size() + " entries");
      for (int i = 0; i < page.size(); i++) {
        Expect.equal(from + i, page.get(i).getLeafIndex(), "R13.19 leaf_index of entry " + i);
      }
      out.addAll(page);
      next += page.size();
    }
    return out;
  }

  /** Entry {@code index}. */
  LogEntry entry(long index) {
    return entries(index, index + 1).get(0);
  }

  /** The entries of {@code [from, c.tree_size)} that {@code match} accepts, in log order. */
  List<LogEntry> find(long from, Checkpoint c, Predicate<LogEntry> match) {
    List<LogEntry> out = new ArrayList<>();
    if (from < c.getTreeSize()) {
      for (LogEntry e : entries(from, c.getTreeSize())) {
        if (match.test(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** The only entry of {@code [from, c.tree_size)} that {@code match} accepts. */
  LogEntry findOne(String rule, String what, long from, Checkpoint c, Predicate<LogEntry> match) {
    List<LogEntry> found = find(from, c, match);
    Expect.check(
        found.size() == 1,
        rule
            + ": expected one entry "
            + what
            + " among entries "
            + from
            + ".."
            + (c.getTreeSize() - 1)
            + ", found "
            + found.size());
    return found.get(0);
  }

  /** The leaf hash of {@code e} with the suite's encoder; an entry it refuses breaks R13.5. */
  static byte[] leafHash(LogEntry e) {
    try {
      return LogEncoding.leafHash(e);
    } catch (IllegalArgumentException ex) {
      throw new AssertionError(
          "R13.5: entry " + e.getLeafIndex() + " has no §5.1 encoding: " + ex.getMessage(), ex);
    }
  }

  /**
   * The audit path of leaf {@code index} in the tree of {@code size} leaves, checking that the
   * answer names them (R13.23).
   */
  List<byte[]> auditPath(long index, long size) {
    GetInclusionProofResponse r =
        Expect.succeeds(
            "GetInclusionProof(" + index + ", " + size + ")",
            () ->
                s.transparencyLog(caller())
                    .getInclusionProof(
                        GetInclusionProofRequest.newBuilder()
                            .setLeafIndex(index)
                            .setTreeSize(size)
                            .build()));
    Expect.equal(index, r.getLeafIndex(), "R13.23 leaf_index answered");
    Expect.equal(size, r.getTreeSize(), "R13.23 tree_size answered");
    return bytes(r.getAuditPathList());
  }

  /** Asserts that {@code e} is in the tree of checkpoint {@code c} (R13.23, R13.8). */
  void assertIncluded(LogEntry e, Checkpoint c) {
    List<byte[]> path = auditPath(e.getLeafIndex(), c.getTreeSize());
    try {
      Merkle.verifyInclusion(
          leafHash(e), e.getLeafIndex(), c.getTreeSize(), path, c.getRootHash().toByteArray());
    } catch (Merkle.InvalidProof ex) {
      throw new AssertionError(
          "R13.23: the audit path of entry "
              + e.getLeafIndex()
              + " in the tree of "
              + c.getTreeSize()
              + " does not verify: "
              + ex.getMessage(),
          ex);
    }
  }

  /** The consistency proof from {@code first} to {@code second} leaves. */
  List<byte[]> consistencyProof(long first, long second) {
    return bytes(
        Expect.<org.fedtrace.proto.v1.GetConsistencyProofResponse>succeeds(
                "GetConsistencyProof(" + first + ", " + second + ")",
                () ->
                    s.transparencyLog(caller())
                        .getConsistencyProof(
                            GetConsistencyProofRequest.newBuilder()
                                .setFirstTreeSize(first)
                                .setSecondTreeSize(second)
                                .build()))
            .getProofList());
  }

  /**
   * Asserts that {@code newer} is consistent with {@code older}, as R13.33 asks of every client:
   * not smaller, equal roots at equal sizes, and a consistency proof that verifies.
   */
  void assertConsistent(Checkpoint older, Checkpoint newer, String rule) {
    long m = older.getTreeSize();
    long n = newer.getTreeSize();
    Expect.check(
        n >= m, rule + ": a checkpoint of " + n + " entries after one of " + m + " (rolled back)");
    if (m == 0) {
      return;
    }
    List<byte[]> proof = m == n ? List.of() : consistencyProof(m, n);
    try {
      Merkle.verifyConsistency(
          m, n, older.getRootHash().toByteArray(), newer.getRootHash().toByteArray(), proof);
    } catch (Merkle.InvalidProof e) {
      throw new AssertionError(
          rule
              + ": the checkpoint of "
              + n
              + " entries is not consistent with the one of "
              + m
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Every entry below {@code c}'s size, page after page: for logs of at most {@link #MAX_WHOLE_LOG}
   * entries (a controlled node's, or a node's checked whole).
   */
  List<LogEntry> allEntries(Checkpoint c) {
    return c.getTreeSize() == 0 ? List.of() : entries(0, c.getTreeSize());
  }

  /** Whether {@code a} and {@code b} are the same bytes. */
  static boolean same(ByteString a, byte[] b) {
    return MessageDigest.isEqual(a.toByteArray(), b);
  }

  /**
   * Asserts the fields of {@code e} against the event table of spec/transparency.md §3.
   *
   * @param rule the rule the case checks
   */
  static void assertEntry(
      String rule,
      LogEntry e,
      EventType type,
      byte[] subject,
      String origin,
      String peer,
      long keyCount,
      String reason) {
    String what = rule + " entry " + e.getLeafIndex();
    Expect.equal(type, e.getEventType(), what + " event_type");
    Expect.equal(hex(subject), hex(e.getSubjectSha256().toByteArray()), what + " subject_sha256");
    Expect.equal(origin, e.getOrigin(), what + " origin");
    Expect.equal(peer, e.getPeer(), what + " peer");
    Expect.equal(keyCount, Integer.toUnsignedLong(e.getKeyCount()), what + " key_count");
    Expect.equal(reason, e.getReason(), what + " reason");
  }

  /** Asserts that an entry appended during the case is dated within the skew of the suite's now. */
  static void assertRecent(String rule, LogEntry e) {
    long skew = Math.abs(e.getTimeUnixSeconds() - Instant.now().getEpochSecond());
    Expect.check(
        skew <= SKEW_SECONDS,
        rule + ": entry " + e.getLeafIndex() + " is dated " + skew + " s away from now");
  }

  /** Asserts that {@code receipt} names entry {@code e}: its index and its leaf hash. */
  static void assertReceiptOf(String rule, LogReceipt receipt, LogEntry e) {
    Expect.equal(e.getLeafIndex(), receipt.getLeafIndex(), rule + " receipt leaf_index");
    Expect.equal(
        hex(leafHash(e)),
        hex(receipt.getLeafHash().toByteArray()),
        rule + " receipt leaf_hash versus the entry's leaf hash");
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static List<byte[]> bytes(List<ByteString> list) {
    return list.stream().map(ByteString::toByteArray).toList();
  }
}
