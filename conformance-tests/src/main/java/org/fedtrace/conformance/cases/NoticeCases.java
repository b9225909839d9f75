package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.KeyDestination;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsResponse;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;

/**
 * spec/transparency.md §7: the Notice service (feature {@code notice}, rules R14). The suite plays
 * the operator's backend relaying a device: it uploads keys with the commitment of a secret it
 * keeps, and asks where they went. Answers are checked with the suite's own code, as a device
 * should (R14.12): the checkpoint as any client checks it (R13.32), every audit path against it.
 */
public final class NoticeCases extends LogCaseBase {
  public NoticeCases(Session s) {
    super(s);
  }

  private Credential backend() {
    return s.kit().backend().orElseThrow();
  }

  private static QueryKeyDestinationsRequest query(ByteString secret) {
    return QueryKeyDestinationsRequest.newBuilder().setNoticeSecret(secret).build();
  }

  /** QueryKeyDestinations as the backend, which must succeed. */
  private QueryKeyDestinationsResponse ask(ByteString secret) {
    return Expect.succeeds(
        "QueryKeyDestinations with the secret of an upload",
        () -> s.notice(backend()).queryKeyDestinations(query(secret)));
  }

  /** Uploads two keys as the backend with the commitment of a fresh secret; returns the secret. */
  private Upload upload() {
    ByteString secret = batches().randomBytes(32);
    List<DiagnosisKey> keys = batches().keys(2);
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(keys)
            .setAuthorization(new UploadCases(s).authorization(keys, x -> x))
            .setNoticeCommitment(ByteString.copyFrom(Canonical.sha256(secret.toByteArray())))
            .build();
    UploadDiagnosisKeysResponse answer =
        Expect.succeeds(
            "an upload with a notice commitment", () -> s.upload(backend()).uploadDiagnosisKeys(r));
    return new Upload(secret, answer);
  }

  private record Upload(ByteString secret, UploadDiagnosisKeysResponse answer) {}

  /**
   * R14.1: member A and member B (other countries than the node's) asking with a 32-byte secret,
   * and A with a 31-byte one (R14.1 is checked before R14.2): PERMISSION_DENIED by R14.1. When it
   * fails: foreign operators can ask where a country's uploads went.
   */
  @Needs(Need.NOTICE)
  public void R14_1_refusesCallerOfOtherCountry() {
    for (Credential caller : List.of(a().tls(), b().tls())) {
      Expect.refused(
          Status.Code.PERMISSION_DENIED,
          "R14.1",
          () -> s.notice(caller).queryKeyDestinations(query(batches().randomBytes(32))));
    }
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R14.1",
        () -> s.notice(a().tls()).queryKeyDestinations(query(batches().randomBytes(31))));
  }

  /**
   * R14.2: the backend asking with a secret of 31, 33 and 0 bytes: INVALID_ARGUMENT by R14.2 at
   * {@code notice_secret}. When it fails: malformed secrets are hashed and looked up.
   */
  @Needs({Need.NOTICE, Need.UPLOAD})
  public void R14_2_refusesSecretNot32Bytes() {
    for (int length : new int[] {31, 33, 0}) {
      Expect.refused(
              Status.Code.INVALID_ARGUMENT,
              "R14.2",
              () -> s.notice(backend()).queryKeyDestinations(query(batches().randomBytes(length))))
          .hasField("notice_secret", "R14.2");
    }
  }

  /**
   * R14.3: the backend asking with a fresh random secret, and with the commitment of an upload in
   * place of its secret: PERMISSION_DENIED by R14.3. When it fails: the node answers without proof
   * of possession, or compares the secret itself with the stored commitment.
   */
  @Needs({Need.NOTICE, Need.UPLOAD})
  public void R14_3_refusesSecretOfNoUpload() {
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R14.3",
        () -> s.notice(backend()).queryKeyDestinations(query(batches().randomBytes(32))));
    ByteString commitment = ByteString.copyFrom(Canonical.sha256(upload().secret().toByteArray()));
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R14.3",
        () -> s.notice(backend()).queryKeyDestinations(query(commitment)));
  }

  /**
   * R14.4: right after an upload with a commitment, the query answers OK with a checkpoint that
   * verifies (R13.32), covers the upload's UPLOAD_AUTHORIZED entry (R13.15) and is signed within
   * 300 s of the call, allowing 300 s of skew (R13.16); any destination already listed verifies.
   * When it fails: the answer's checkpoint is stale, unsigned or of another log.
   */
  @Needs({Need.NOTICE, Need.UPLOAD, Need.TRANSPARENCY_LOG})
  public void R14_4_answersFreshCheckpoint() {
    Upload u = upload();
    QueryKeyDestinationsResponse r = ask(u.secret());
    Checkpoint c = r.getCheckpoint();
    log.verify(c);
    long index = u.answer().getReceipt().getLeafIndex();
    Expect.check(
        c.getTreeSize() > index,
        "R14.4: the answer's checkpoint of "
            + c.getTreeSize()
            + " entries does not cover the upload's entry "
            + index);
    long now = Instant.now().toEpochMilli();
    long skew = LogReader.SKEW_SECONDS * 1000;
    Expect.check(
        c.getTimeUnixMillis() >= now - 300_000 - skew && c.getTimeUnixMillis() <= now + skew,
        "R14.4: the answer's checkpoint is signed "
            + (now - c.getTimeUnixMillis()) / 1000
            + " s before the call");
    assertProven(r);
  }

  /**
   * R14.5 and R14.7: after member B received the node's batch holding an upload's keys (once over
   * SubscribeBatches and once more by pulling again from before it), the query lists, for that
   * batch, exactly one destination per peer that an entry below the answer's checkpoint records as
   * receiving it (so B once), each carrying the earliest such entry (BATCH_SENT or BATCH_FORWARDED,
   * peer equal to the destination's), and no destination twice. When it fails: deliveries are
   * missing (the node did not link the upload to its batch, R14.7), repeated, or carry a later or
   * unrelated entry.
   */
  @Needs({Need.NOTICE, Need.UPLOAD, Need.SUBSCRIBE, Need.TRANSPARENCY_LOG})
  @Slow
  @Covers("R14.7")
  public void R14_5_answersEachDeliveryOnce() {
    OwnDelivery d = OwnDelivery.of(s);
    Expect.check(
        pulledIds(b().tls(), d.cursorBefore()).contains(d.batch().getBatchId()),
        "R9.5: pulling again from before the upload does not deliver the node's batch");
    QueryKeyDestinationsResponse r = ask(d.secret());
    Checkpoint c = r.getCheckpoint();
    log.verify(c);
    Map<String, LogEntry> earliest = new HashMap<>();
    for (LogEntry e :
        log.find(
            d.upload().getReceipt().getLeafIndex(),
            c,
            x -> LogReader.same(x.getSubjectSha256(), d.contentHash()) && delivery(x))) {
      earliest.putIfAbsent(e.getPeer(), e);
    }
    Expect.check(
        earliest.containsKey(b().identity().toString()),
        "R13.3: the log records no delivery of the node's batch to member B");
    Set<String> seen = new HashSet<>();
    Map<String, LogEntry> answered = new HashMap<>();
    for (KeyDestination dest : r.getDestinationsList()) {
      LogEntry e = dest.getEntry();
      String key = dest.getPeer() + " " + LogReader.hex(e.getSubjectSha256().toByteArray());
      Expect.check(seen.add(key), "R14.5: " + key + " is answered twice");
      Expect.check(delivery(e), "R14.5: a destination carries a " + e.getEventType() + " entry");
      Expect.equal(dest.getPeer(), e.getPeer(), "R14.5 peer of the destination's entry");
      Expect.check(
          e.getLeafIndex() < c.getTreeSize(),
          "R14.5: a destination's entry is not below the checkpoint");
      if (LogReader.same(e.getSubjectSha256(), d.contentHash())) {
        answered.put(dest.getPeer(), e);
      }
    }
    Expect.equal(earliest, answered, "R14.5 destinations of the node's batch (peer → entry)");
  }

  private static boolean delivery(LogEntry e) {
    return e.getEventType() == EventType.EVENT_TYPE_BATCH_SENT
        || e.getEventType() == EventType.EVENT_TYPE_BATCH_FORWARDED;
  }

  /**
   * R14.6: every destination's audit_path leads from the suite's leaf hash of its entry to the root
   * of the answer's checkpoint (which verifies), and the entry the node logs at that index is the
   * same; the delivery to member B is among them. When it fails: the proofs are against another
   * tree, or the entries are not those of the log.
   */
  @Needs({Need.NOTICE, Need.UPLOAD, Need.SUBSCRIBE, Need.TRANSPARENCY_LOG})
  @Slow
  public void R14_6_provesEachDestination() {
    OwnDelivery d = OwnDelivery.of(s);
    QueryKeyDestinationsResponse r = ask(d.secret());
    log.verify(r.getCheckpoint());
    Expect.check(
        r.getDestinationsList().stream()
            .anyMatch(x -> x.getPeer().equals(b().identity().toString())),
        "R14.5: the delivery of the node's batch to member B is not answered");
    assertProven(r);
    for (KeyDestination dest : r.getDestinationsList()) {
      Expect.equal(
          log.entry(dest.getEntry().getLeafIndex()),
          dest.getEntry(),
          "R14.6 the destination's entry versus the log's");
    }
  }

  /** Asserts that each destination's audit path proves its entry in the answer's checkpoint. */
  private static void assertProven(QueryKeyDestinationsResponse r) {
    Checkpoint c = r.getCheckpoint();
    for (KeyDestination dest : r.getDestinationsList()) {
      LogEntry e = dest.getEntry();
      try {
        Merkle.verifyInclusion(
            LogReader.leafHash(e),
            e.getLeafIndex(),
            c.getTreeSize(),
            dest.getAuditPathList().stream().map(ByteString::toByteArray).toList(),
            c.getRootHash().toByteArray());
      } catch (Merkle.InvalidProof ex) {
        throw new AssertionError(
            "R14.6: the audit path of the destination "
                + dest.getPeer()
                + " (entry "
                + e.getLeafIndex()
                + ") does not verify: "
                + ex.getMessage(),
            ex);
      }
    }
  }

  /**
   * R14.8 (controlled node): retention_days + 1 days minus an hour after an upload with a
   * commitment (the node's clock moved, its purge run), the query still answers OK. When it fails:
   * the node forgets commitments with the keys' retention or with the authorization's expiry.
   */
  @Needs({Need.NOTICE, Need.UPLOAD, Need.CONTROLLED_NODE})
  public void R14_8_keepsCommitmentThroughRetention() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      NoticeCases c = new NoticeCases(cs);
      Upload u = c.upload();
      node.advanceClock(
          Duration.ofDays(cs.info().getRetentionDays() + 1L).minus(Duration.ofHours(1)));
      c.ask(u.secret());
    }
  }

  /**
   * R14.9: two queries with an upload's secret append nothing about them: every entry appended
   * between a checkpoint before and one after them (on a quiet node, none) is an event not of the
   * suite's making: none has the secret or its commitment as subject, none is an UPLOAD_AUTHORIZED,
   * none names member A, member B or the node as peer. When it fails: the node logs notice queries,
   * which tells every member and auditor that someone asked.
   */
  @Needs({Need.NOTICE, Need.UPLOAD, Need.TRANSPARENCY_LOG})
  public void R14_9_doesNotLogQueries() {
    Upload u = upload();
    Checkpoint before = log.checkpoint();
    ask(u.secret());
    ask(u.secret());
    Checkpoint after = log.checkpoint();
    byte[] commitment = Canonical.sha256(u.secret().toByteArray());
    Set<String> suite =
        Set.of(a().identity().toString(), b().identity().toString(), log.node().toString());
    List<LogEntry> appended =
        log.find(
            before.getTreeSize(),
            after,
            e ->
                LogReader.same(e.getSubjectSha256(), commitment)
                    || LogReader.same(e.getSubjectSha256(), u.secret().toByteArray())
                    || e.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED
                    || suite.contains(e.getPeer()));
    Expect.check(
        appended.isEmpty(),
        "R14.9: the node appended "
            + appended.size()
            + " entries during two notice queries that may record them, the first at "
            + (appended.isEmpty() ? -1 : appended.get(0).getLeafIndex()));
  }
}
