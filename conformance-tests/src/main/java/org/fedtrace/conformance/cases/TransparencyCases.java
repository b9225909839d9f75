package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.UploadAuthorization;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;

/**
 * spec/transparency.md §6: the TransparencyLog service (feature {@code transparency-log}, rules
 * R13). The suite reads the log as member A and checks everything with its own code (RFC 6962 tree,
 * §5.1 leaf encoding, C2SP checkpoint notes, the kit's authority for the signer certificate), so a
 * node cannot vouch for itself. Events are provoked by the suite's own calls (publishes, pulls,
 * refusals, uploads) and looked up by their subject, so unrelated appends do not disturb a case.
 */
public final class TransparencyCases extends CaseBase {
  /** 2^64 − 1 as an unsigned request field. */
  private static final long MAX_UINT64 = -1L;

  private final LogReader log;

  public TransparencyCases(Session s) {
    super(s);
    this.log = new LogReader(s);
  }

  /**
   * What the suite saw around one publish of member A: checkpoints before and after it, and one
   * more after that with no append in between.
   */
  record AroundPublish(
      Checkpoint before,
      DiagnosisKeyBatch batch,
      PublishBatchResponse response,
      Checkpoint after,
      Checkpoint again) {}

  private AroundPublish aroundPublish() {
    return s.shared(
        "tlog-around-publish",
        () -> {
          Checkpoint before = atLeast(1);
          DiagnosisKeyBatch b = valid(a(), 3);
          PublishBatchResponse r = publish(a().tls(), b);
          Checkpoint after = log.checkpoint();
          Checkpoint again = log.checkpoint();
          return new AroundPublish(before, b, r, after, again);
        });
  }

  /** A checkpoint of at least {@code min} entries: publishes batches of A until there is one. */
  private Checkpoint atLeast(long min) {
    Checkpoint c = log.checkpoint();
    for (long i = 0; c.getTreeSize() < min && i < min; i++) {
      publish(a().tls(), valid(a(), 1));
      c = log.checkpoint();
    }
    Expect.check(
        c.getTreeSize() >= min,
        "R13.1: " + min + " publishes did not grow the log to " + min + " entries");
    return c;
  }

  private static boolean about(LogEntry e, byte[] subject) {
    return LogReader.same(e.getSubjectSha256(), subject);
  }

  /**
   * R6.8 for the log and the notice query: the non-member calling GetCheckpoint, GetEntries and
   * QueryKeyDestinations (when offered) gets PERMISSION_DENIED by R6.8, as for every service
   * (transparency.md §6). When it fails: anyone with a certificate of the authority reads the log.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R6_8_refusesNonMemberReadingTheLog() {
    Credential x = s.kit().nonMember().tls();
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () -> s.transparencyLog(x).getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () ->
            s.transparencyLog(x)
                .getEntries(GetEntriesRequest.newBuilder().setStart(0).setEnd(1).build()));
    if (s.hasFeature("notice")) {
      Expect.refused(
          Status.Code.PERMISSION_DENIED,
          "R6.8",
          () ->
              s.notice(x)
                  .queryKeyDestinations(
                      QueryKeyDestinationsRequest.newBuilder()
                          .setNoticeSecret(batches().randomBytes(32))
                          .build()));
    }
  }

  // ---- recording ------------------------------------------------------------------------------

  /**
   * R13.1: a stored batch gets one entry and its identical retry (answered duplicate) none: after
   * publishing a batch twice, exactly one entry has its content hash as subject, a BATCH_RECEIVED.
   * When it fails: the node logs duplicates (the receiver already recorded the batch) or nothing.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_1_appendsOneEntryPerStoredBatch() {
    Checkpoint before = log.checkpoint();
    DiagnosisKeyBatch b = valid(a(), 2);
    publish(a().tls(), b);
    Expect.check(publish(a().tls(), b).getDuplicate(), "R8.21: the retry was not a duplicate");
    Checkpoint after = log.checkpoint();
    byte[] subject = Canonical.contentHash(b);
    LogEntry e =
        log.findOne(
            "R13.1",
            "about the batch published twice",
            before.getTreeSize(),
            after,
            x -> about(x, subject));
    Expect.equal(EventType.EVENT_TYPE_BATCH_RECEIVED, e.getEventType(), "R13.1 event_type");
  }

  /**
   * R13.3: when member B pulls a batch member A published, the node has logged the delivery before
   * the answer left: a GetCheckpoint right after the pull covers a BATCH_FORWARDED entry with the
   * batch's content hash, A's country as origin, B as peer and the key count. When it fails: the
   * node serves batches unlogged, or logs them as its own (BATCH_SENT) or after sending.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_3_logsForwardedBatchBeforeServing() {
    ByteString head = s.head(b().tls());
    DiagnosisKeyBatch batch = valid(a(), 4);
    long received = publish(a().tls(), batch).getReceipt().getLeafIndex();
    if (!pulledIds(b().tls(), head).contains(batch.getBatchId())) {
      throw new Skipped("the node does not serve member A's batches to member B (no forwarding)");
    }
    Checkpoint c = log.checkpoint();
    byte[] subject = Canonical.contentHash(batch);
    LogEntry e =
        log.findOne(
            "R13.3",
            "recording the delivery to member B",
            received,
            c,
            x -> about(x, subject) && x.getPeer().equals(b().identity().toString()));
    LogReader.assertEntry(
        "R13.3",
        e,
        EventType.EVENT_TYPE_BATCH_FORWARDED,
        subject,
        a().identity().country(),
        b().identity().toString(),
        4,
        "");
    log.assertIncluded(e, c);
  }

  /**
   * R13.3: when member B receives the node's own batch over SubscribeBatches, a GetCheckpoint right
   * after covers a BATCH_SENT entry with its content hash, the node's country, B as peer and the
   * batch's key count (padding included). When it fails: the node's own deliveries go unlogged or
   * are logged after they leave.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.UPLOAD, Need.SUBSCRIBE})
  @Slow
  public void R13_3_logsOwnBatchSentBeforeServing() {
    OwnDelivery d = OwnDelivery.of(s);
    Checkpoint c = log.checkpoint();
    LogEntry sent =
        log
            .find(
                d.upload().getReceipt().getLeafIndex(),
                c,
                x ->
                    about(x, d.contentHash())
                        && x.getEventType() == EventType.EVENT_TYPE_BATCH_SENT
                        && x.getPeer().equals(b().identity().toString()))
            .stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "R13.3: no BATCH_SENT entry records the delivery of the node's batch "
                            + d.batch().getSequence()
                            + " to member B"));
    LogReader.assertEntry(
        "R13.3",
        sent,
        EventType.EVENT_TYPE_BATCH_SENT,
        d.contentHash(),
        log.node().country(),
        b().identity().toString(),
        d.batch().getKeysCount(),
        "");
    log.assertIncluded(sent, c);
  }

  /**
   * R13.4: a batch refused for its signature (R8.20) is logged before the refusal is answered: the
   * next checkpoint covers a BATCH_REFUSED entry with the batch's content hash, A's country, A as
   * peer, the key count and reason "R8.20". Then a batch with origin "aq", which has no encoding:
   * its BATCH_REFUSED entry has an empty origin, the SHA-256 of the batch's serialization as
   * subject (§3), and as reason the rule id the refusal's message starts with. When it fails:
   * refusals are not logged, or name another rule, party or subject.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_4_logsRefusalBeforeAnswering() {
    Checkpoint before = log.checkpoint();
    DiagnosisKeyBatch good = valid(a(), 3);
    byte[] sig = good.getSignature().toByteArray();
    sig[5] ^= 0x10;
    DiagnosisKeyBatch bad = good.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    publishRefused(Status.Code.INVALID_ARGUMENT, "R8.20", bad);
    DiagnosisKeyBatch lower = sign(unsigned(a(), 2).setOrigin("aq"), a());
    String rule = publishRefused(Status.Code.INVALID_ARGUMENT, "R8.5", lower).message();
    Checkpoint c = log.checkpoint();
    byte[] subject = Canonical.contentHash(bad);
    LogEntry e =
        log.findOne(
            "R13.4", "about the refused batch", before.getTreeSize(), c, x -> about(x, subject));
    LogReader.assertEntry(
        "R13.4",
        e,
        EventType.EVENT_TYPE_BATCH_REFUSED,
        subject,
        a().identity().country(),
        a().identity().toString(),
        3,
        "R8.20");
    log.assertIncluded(e, c);
    byte[] parsed = Canonical.sha256(lower.toByteArray());
    LogEntry noOrigin =
        log.findOne(
            "R13.4",
            "about the batch with origin \"aq\"",
            before.getTreeSize(),
            c,
            x -> about(x, parsed));
    LogReader.assertEntry(
        "R13.4",
        noOrigin,
        EventType.EVENT_TYPE_BATCH_REFUSED,
        parsed,
        "",
        a().identity().toString(),
        2,
        rule.substring(0, rule.indexOf(':')));
  }

  /**
   * R13.5 and R13.8: every entry of the log has the shape §3 gives its type (the suite's encoder
   * refuses any other) and the RFC 6962 tree of their §5.1 encodings has the checkpoint's root (the
   * whole log up to {@value LogReader#MAX_WHOLE_LOG} entries; beyond, 64 entries with their audit
   * paths). Also: own-country types (CREATED, SENT, UPLOAD_AUTHORIZED) carry the node's country,
   * FORWARDED another, and no entry names the node as its peer. When it fails: the node encodes or
   * hashes entries otherwise than the spec, or stores entries that are not in its signed tree.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  @Covers("R13.8")
  public void R13_5_encodesEntriesThatRebuildTheSignedRoot() {
    Checkpoint c = atLeast(1);
    long size = c.getTreeSize();
    List<LogEntry> checked;
    if (size <= LogReader.MAX_WHOLE_LOG) {
      checked = log.allEntries(c);
      List<byte[]> hashes = new ArrayList<>();
      checked.forEach(e -> hashes.add(LogReader.leafHash(e)));
      Expect.check(
          MessageDigest.isEqual(Merkle.root(hashes), c.getRootHash().toByteArray()),
          "R13.8: the RFC 6962 tree of the "
              + size
              + " entries the node serves does not have its checkpoint's root");
    } else {
      checked = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        LogEntry e = log.entry(size - 1 - (size / 64) * i);
        log.assertIncluded(e, c);
        checked.add(e);
      }
    }
    for (LogEntry e : checked) {
      assertOwnCountry(e);
    }
  }

  private void assertOwnCountry(LogEntry e) {
    String country = log.node().country();
    EventType t = e.getEventType();
    boolean own =
        t == EventType.EVENT_TYPE_BATCH_CREATED
            || t == EventType.EVENT_TYPE_BATCH_SENT
            || t == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED;
    String what = "R13.5: entry " + e.getLeafIndex() + " (" + t + ", origin " + e.getOrigin() + ")";
    Expect.check(!own || e.getOrigin().equals(country), what + " is not of " + country);
    Expect.check(
        t != EventType.EVENT_TYPE_BATCH_FORWARDED || !e.getOrigin().equals(country),
        what + " forwards the node's own batch");
    Expect.check(
        !e.getPeer().equals(log.node().toString()), what + " names the node as its own peer");
  }

  // ---- tree and checkpoints -------------------------------------------------------------------

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
   * R13.10 across a restart (controlled node): after a publish and a checkpoint, the node restarts
   * on its store; its next checkpoint is consistent with the one before, dated no earlier, and the
   * entries below the old size are unchanged. When it fails: the log is not durable, or the node
   * rolls back on restart.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_10_staysConsistentAcrossRestart() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled()) {
      Checkpoint before;
      List<LogEntry> entries;
      try (Session cs = new Session(node.target())) {
        TransparencyCases c = new TransparencyCases(cs);
        c.publish(c.a().tls(), c.valid(c.a(), 2));
        before = c.log.checkpoint();
        entries = c.log.allEntries(before);
      }
      node.restart();
      try (Session cs = new Session(node.target())) {
        TransparencyCases c = new TransparencyCases(cs);
        Checkpoint after = c.log.checkpoint();
        c.log.assertConsistent(before, after, "R13.10");
        Expect.check(
            after.getTimeUnixMillis() >= before.getTimeUnixMillis(),
            "R13.14: the checkpoint after the restart is dated before the one before it");
        Expect.equal(
            entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries after restart");
      }
    }
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

  /**
   * R13.16 on an idle log (controlled node): a checkpoint, then the node's clock moves 10 minutes
   * with nothing appended; the next checkpoint is dated at least 300 s later than the first. When
   * it fails: the node answers its latest checkpoint however old it is.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_16_resignsAnIdleLog() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      TransparencyCases c = new TransparencyCases(cs);
      Checkpoint first = c.log.checkpoint();
      node.advanceClock(Duration.ofMinutes(10));
      Checkpoint later = c.log.checkpoint();
      Expect.check(
          later.getTimeUnixMillis() - first.getTimeUnixMillis() >= 300_000,
          "R13.16: 10 minutes later the node answers a checkpoint dated "
              + (later.getTimeUnixMillis() - first.getTimeUnixMillis()) / 1000
              + " s after the first");
      c.log.assertConsistent(first, later, "R13.10");
    }
  }

  // ---- GetEntries -----------------------------------------------------------------------------

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

  // ---- GetInclusionProof ----------------------------------------------------------------------

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

  // ---- GetConsistencyProof --------------------------------------------------------------------

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

  // ---- receipts -------------------------------------------------------------------------------

  /**
   * R13.28: a publish that stored its batch answers a receipt naming a BATCH_RECEIVED entry with
   * the batch's content hash, A's country, A (the caller) as peer, the key count and no reason,
   * dated now; leaf_hash is that entry's leaf hash, and the entry is in the signed tree. When it
   * fails: receipts are missing, name another entry, or hash it otherwise.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_28_answersPublishWithReceipt() {
    AroundPublish p = aroundPublish();
    Expect.check(p.response().hasReceipt(), "R13.28: the publish answered no receipt");
    LogEntry e = log.entry(p.response().getReceipt().getLeafIndex());
    LogReader.assertEntry(
        "R13.28",
        e,
        EventType.EVENT_TYPE_BATCH_RECEIVED,
        Canonical.contentHash(p.batch()),
        a().identity().country(),
        a().identity().toString(),
        p.batch().getKeysCount(),
        "");
    LogReader.assertReceiptOf("R13.28", p.response().getReceipt(), e);
    LogReader.assertRecent("R13.28", e);
    log.assertIncluded(e, p.after());
  }

  /**
   * R13.29: publishing the same batch again answers duplicate = true with the receipt of the first
   * publish (the entry that recorded the storing). When it fails: the retry gets no receipt, or one
   * of a new entry.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_29_answersDuplicateWithFirstReceipt() {
    AroundPublish p = aroundPublish();
    PublishBatchResponse again = publish(a().tls(), p.batch());
    Expect.check(again.getDuplicate(), "R8.21: the identical retry was not answered duplicate");
    Expect.equal(p.response().getReceipt(), again.getReceipt(), "R13.29 receipt of the retry");
  }

  /**
   * R13.29 for the node's own batch: member B publishes back the node's batch it received (B may
   * forward any origin's batch); the answer is duplicate = true with the receipt of the node's
   * BATCH_CREATED entry of it (content hash, the node's country, no peer, its key count), and
   * nothing about the batch is appended. When it fails: the node answers its own batches coming
   * back without a receipt, with another entry's, or logs the duplicate.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.UPLOAD, Need.SUBSCRIBE})
  @Slow
  public void R13_29_answersOwnBatchWithCreatedReceipt() {
    OwnDelivery d = OwnDelivery.of(s);
    Checkpoint before = log.checkpoint();
    PublishBatchResponse r = publish(b().tls(), d.batch());
    Expect.check(r.getDuplicate(), "R8.21: the node's own batch sent back was not a duplicate");
    Checkpoint after = log.checkpoint();
    LogEntry created = log.entry(r.getReceipt().getLeafIndex());
    LogReader.assertEntry(
        "R13.29",
        created,
        EventType.EVENT_TYPE_BATCH_CREATED,
        d.contentHash(),
        log.node().country(),
        "",
        d.batch().getKeysCount(),
        "");
    LogReader.assertReceiptOf("R13.29", r.getReceipt(), created);
    Expect.equal(
        List.of(),
        log.find(before.getTreeSize(), after, x -> about(x, d.contentHash())),
        "R13.1 entries appended about a duplicate");
  }

  /**
   * R13.30 and R13.6: a successful upload answers a receipt naming an UPLOAD_AUTHORIZED entry whose
   * subject is SHA-256 of the authorization's §5.5 encoding, with the node's country, no peer, key
   * count 0 (not the 3 keys uploaded) and no reason; the entry is in the signed tree. When it
   * fails: uploads are not logged, logged with their key count, or with another subject.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.UPLOAD})
  @Covers("R13.6")
  public void R13_30_answersUploadWithReceipt() {
    UploadCases uploads = new UploadCases(s);
    List<DiagnosisKey> keys = batches().keys(3);
    UploadAuthorization authorization = uploads.authorization(keys, x -> x);
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .addAllKeys(keys)
            .setAuthorization(authorization)
            .build();
    UploadDiagnosisKeysResponse answer =
        Expect.succeeds(
            "a valid upload",
            () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
    Expect.check(answer.hasReceipt(), "R13.30: the upload answered no receipt");
    Checkpoint c = log.checkpoint();
    LogEntry e = log.entry(answer.getReceipt().getLeafIndex());
    LogReader.assertEntry(
        "R13.30",
        e,
        EventType.EVENT_TYPE_UPLOAD_AUTHORIZED,
        Canonical.sha256(Canonical.authorization(authorization)),
        log.node().country(),
        "",
        0,
        "");
    LogReader.assertReceiptOf("R13.30", answer.getReceipt(), e);
    LogReader.assertRecent("R13.30", e);
    log.assertIncluded(e, c);
  }

  // ---- retention, sunset, draining (controlled nodes) -----------------------------------------

  private ControlledNodes.ControlledNode controlled() throws Exception {
    return s.target().controlledNodes().orElseThrow().start();
  }

  /** A batch of member A with one key leaving the retention window an hour after now. */
  private DiagnosisKeyBatch expiringSoon() {
    long window = batches().nowInterval() - (long) s.info().getRetentionDays() * Batches.DAY;
    DiagnosisKey k =
        batches().key(1).toBuilder()
            .setRollingStartIntervalNumber((int) (window + 6 - Batches.DAY))
            .build();
    return sign(unsigned(a(), List.of(k, batches().key(1))), a());
  }

  /**
   * R13.7 past retention (controlled node): a batch with one key leaving retention in an hour is
   * published; two hours later (clock moved, purge due) the log has a BATCH_PURGED entry for it
   * (origin A's country, no peer, 1 or 2 keys), its new checkpoint is consistent with the one
   * before, and every entry below the old size is unchanged. When it fails: the purge rewrites or
   * drops log entries, or is not logged.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_7_keepsEntriesPastRetention() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      TransparencyCases c = new TransparencyCases(cs);
      DiagnosisKeyBatch b = c.expiringSoon();
      c.publish(c.a().tls(), b);
      Checkpoint before = c.log.checkpoint();
      List<LogEntry> entries = c.log.allEntries(before);
      node.advanceClock(Duration.ofHours(2));
      Checkpoint after = c.log.checkpoint();
      c.log.assertConsistent(before, after, "R13.7");
      Expect.equal(entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries after purge");
      byte[] subject = Canonical.contentHash(b);
      LogEntry purged =
          c.log.findOne(
              "R13.7",
              "recording the purge",
              before.getTreeSize(),
              after,
              x -> about(x, subject) && x.getEventType() == EventType.EVENT_TYPE_BATCH_PURGED);
      Expect.equal(c.a().identity().country(), purged.getOrigin(), "R13.5 BATCH_PURGED origin");
      Expect.equal("", purged.getPeer(), "R13.5 BATCH_PURGED peer");
      Expect.check(
          purged.getKeyCount() == 1 || purged.getKeyCount() == 2,
          "R13.5: BATCH_PURGED counts " + purged.getKeyCount() + " keys, not 1 or 2");
      c.log.assertIncluded(purged, after);
    }
  }

  /**
   * R13.31, R13.7 and R21.10 (controlled node): a batch of A is published; past the sunset the log
   * still answers: a checkpoint that verifies and is consistent with the one before the sunset,
   * entries below the old size unchanged, a SUNSET_ERASURE entry for the batch (origin A's country,
   * no peer, its key count) with an audit path that verifies. When it fails: the node closes its
   * log at the sunset, rewrites it, or erases foreign data without recording it.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  @Covers({"R13.7", "R21.10"})
  public void R13_31_answersLogPastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      TransparencyCases c = new TransparencyCases(cs);
      DiagnosisKeyBatch b = c.valid(c.a(), 3);
      c.publish(c.a().tls(), b);
      Checkpoint before = c.log.checkpoint();
      List<LogEntry> entries = c.log.allEntries(before);
      Instant sunset =
          LocalDate.parse(cs.info().getSunsetDate())
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      node.advanceClock(Duration.between(Instant.now(), sunset).plusHours(1));
      Checkpoint after = c.log.checkpoint();
      c.log.assertConsistent(before, after, "R13.31");
      Expect.equal(entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries past sunset");
      byte[] subject = Canonical.contentHash(b);
      LogEntry erased =
          c.log.findOne(
              "R21.10",
              "recording the erasure",
              before.getTreeSize(),
              after,
              x -> about(x, subject) && x.getEventType() == EventType.EVENT_TYPE_SUNSET_ERASURE);
      LogReader.assertEntry(
          "R21.10",
          erased,
          EventType.EVENT_TYPE_SUNSET_ERASURE,
          subject,
          c.a().identity().country(),
          "",
          3,
          "");
      c.log.assertIncluded(erased, after);
    }
  }

  /**
   * R21.2 for the log (controlled node): once the node starts draining, GetCheckpoint gets
   * UNAVAILABLE (from the node or its gRPC library). When it fails: the log keeps answering while
   * the node shuts down.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R21_2_refusesLogCallsWhileDraining() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      new TransparencyCases(cs).log.checkpoint();
      node.beginDraining();
      Expect.failsWith(
          Status.Code.UNAVAILABLE,
          "R21.2",
          () ->
              cs.transparencyLog(cs.kit().memberA().tls())
                  .getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
    }
  }
}
