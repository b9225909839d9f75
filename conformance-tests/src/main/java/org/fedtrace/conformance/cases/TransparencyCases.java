package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.UploadAuthorization;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;

/**
 * spec/transparency.md §3 and §6.1, §6.7: what the node records in its transparency log (feature
 * {@code transparency-log}, rules R13) and the receipts it answers. Events are provoked by the
 * suite's own calls (publishes, pulls, refusals, uploads) and looked up by their subject among the
 * entries appended since a checkpoint taken before, so unrelated appends do not disturb a case.
 * Everything is checked with the suite's own code ({@link LogReader}), so a node cannot vouch for
 * itself.
 */
public final class TransparencyCases extends LogCaseBase {
  public TransparencyCases(Session s) {
    super(s);
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
   * R13.37: member B pulls the same page three times (from the cursor it held before member A's
   * batch); a GetCheckpoint after covers exactly one BATCH_FORWARDED entry of the batch to B. When
   * it fails: the node logs every delivery, so a member pulling again from an old cursor grows the
   * log without bound.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R13_37_logsADeliveryToAPeerOnce() {
    ByteString head = s.head(b().tls());
    DiagnosisKeyBatch batch = valid(a(), 2);
    long received = publish(a().tls(), batch).getReceipt().getLeafIndex();
    for (int pull = 0; pull < 3; pull++) {
      if (!pulledIds(b().tls(), head).contains(batch.getBatchId())) {
        throw new Skipped("the node does not serve member A's batches to member B (no forwarding)");
      }
    }
    Checkpoint c = log.checkpoint();
    byte[] subject = Canonical.contentHash(batch);
    log.findOne(
        "R13.37",
        "recording the batch's delivery to member B, pulled three times",
        received,
        c,
        x -> about(x, subject) && x.getPeer().equals(b().identity().toString()));
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
            || t == EventType.EVENT_TYPE_BATCH_IMPORTED
            || t == EventType.EVENT_TYPE_BATCH_SENT
            || t == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED
            || t == EventType.EVENT_TYPE_STATISTICS_RELEASED;
    String what = "R13.5: entry " + e.getLeafIndex() + " (" + t + ", origin " + e.getOrigin() + ")";
    Expect.check(!own || e.getOrigin().equals(country), what + " is not of " + country);
    Expect.check(
        t != EventType.EVENT_TYPE_BATCH_FORWARDED || !e.getOrigin().equals(country),
        what + " forwards the node's own batch");
    Expect.check(
        !e.getPeer().equals(log.node().toString()), what + " names the node as its own peer");
  }

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
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
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

  /**
   * R9.12: after member A publishes a batch, the kit's backend (the node's own identity) pulls from
   * the empty cursor; the entries appended meanwhile name the node itself as peer nowhere. Skipped
   * when the kit has no backend. When it fails: the node logs deliveries to itself, which its own
   * audit reports.
   */
  @Needs(Need.TRANSPARENCY_LOG)
  public void R9_12_logsNoDeliveryToItsOwnIdentity() {
    Credential self =
        s.kit().backend().orElseThrow(() -> new Skipped("the kit has no backend (kit --node)"));
    publish(a().tls(), valid(a(), 2));
    Checkpoint before = log.checkpoint();
    Expect.check(
        s.pull(self, ByteString.EMPTY, 1000).getBatchesCount() > 0,
        "R9.12: the node's backend was served nothing after a publish");
    Checkpoint after = log.checkpoint();
    String node = log.node().country() + "/" + log.node().operatorId();
    for (LogEntry e : log.entries(before.getTreeSize(), after.getTreeSize())) {
      Expect.check(
          !e.getPeer().equals(node),
          "R9.12: entry " + e.getLeafIndex() + " names the node itself as peer");
    }
  }
}
