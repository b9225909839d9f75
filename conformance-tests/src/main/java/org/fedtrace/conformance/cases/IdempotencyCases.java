package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.PullBatchesResponse;

/** Spec §8.2, R8.21–R8.25: idempotent retries, replays, durable commit, unchanged storage. */
public final class IdempotencyCases extends CaseBase {
  public IdempotencyCases(Session s) {
    super(s);
  }

  /** How many times member B sees {@code b}'s id when pulling everything after {@code cursor}. */
  private int copiesAfter(ByteString cursor, DiagnosisKeyBatch b) {
    int copies = 0;
    ByteString c = cursor;
    for (int page = 0; page < 10_000; page++) {
      PullBatchesResponse r = s.pull(b().tls(), c, 1000);
      for (DiagnosisKeyBatch got : r.getBatchesList()) {
        if (got.getOrigin().equals(b.getOrigin()) && got.getBatchId().equals(b.getBatchId())) {
          copies++;
        }
      }
      c = r.getNextCursor();
      if (r.getCaughtUp()) {
        return copies;
      }
    }
    throw new AssertionError("PullBatches never caught up");
  }

  /**
   * R8.21: publishing the identical batch again answers OK with duplicate = true, and so does the
   * same batch with its keys in another order (same content hash); the batch is stored once. When
   * it fails: the node stores retries again or reports them as new.
   */
  public void R8_21_answersDuplicateForIdenticalRetry() {
    ByteString before = s.head(b().tls());
    DiagnosisKeyBatch b = valid(a(), 4);
    Expect.check(!publish(a().tls(), b).getDuplicate(), "R8.21: a new batch reported duplicate");
    PublishBatchResponse again = publish(a().tls(), b);
    Expect.check(again.getDuplicate(), "R8.21: an identical retry was not reported duplicate");
    List<DiagnosisKey> reordered = new ArrayList<>(b.getKeysList());
    Collections.reverse(reordered);
    PublishBatchResponse shuffled =
        publish(b().tls(), b.toBuilder().clearKeys().addAllKeys(reordered).build());
    Expect.check(
        shuffled.getDuplicate(),
        "R8.21: the same batch with keys reordered (same content hash) was not a duplicate");
    Expect.equal(1, copiesAfter(before, b), "R8.21 copies of the batch served");
  }

  /**
   * R8.22: the same origin and batch_id with other content (another key, validly signed) gets
   * ALREADY_EXISTS, and the first content stays. When it fails: the node overwrites, or compares
   * ids without content hashes.
   */
  public void R8_22_refusesSameIdWithOtherContent() {
    DiagnosisKeyBatch first = valid(a(), 2);
    publish(a().tls(), first);
    DiagnosisKeyBatch other =
        sign(first.toBuilder().clearSignature().setKeys(0, batches().key(1)), a());
    publishRefused(Status.Code.ALREADY_EXISTS, "R8.22", other);
    assertServed(first);
  }

  /**
   * R8.23: a new batch id with a sequence number the origin already used gets ALREADY_EXISTS and is
   * not stored. When it fails: the node accepts replays or sequence reuse.
   */
  public void R8_23_refusesReusedSequence() {
    DiagnosisKeyBatch first = valid(a(), 2);
    publish(a().tls(), first);
    DiagnosisKeyBatch replay = sign(unsigned(a(), 2).setSequence(first.getSequence()), a());
    publishRefused(Status.Code.ALREADY_EXISTS, "R8.23", replay);
    assertNotStored(replay);
  }

  /**
   * R8.36: a batch of the node's own country, validly signed by a batch-signing certificate of the
   * node's identity (the kit's backend) and pushed by member A, gets PERMISSION_DENIED and is not
   * stored. Skipped when the kit has no backend signing credential. When it fails: a batch signed
   * elsewhere with the node's key can take the sequence numbers the node has yet to use.
   */
  public void R8_36_refusesBatchOfItsOwnOriginItDoesNotHold() {
    Kit.Operator self =
        s.kit()
            .backendSigner()
            .orElseThrow(() -> new Skipped("the kit has no backend/signing.crt (kit --node)"));
    DiagnosisKeyBatch own = valid(self, 2);
    publishRefused(Status.Code.PERMISSION_DENIED, "R8.36", own);
    assertNotStored(own);
  }

  /**
   * R8.37: member A's valid batch pushed by the kit's backend (the node's own identity) gets
   * PERMISSION_DENIED and is not stored. Skipped when the kit has no backend. When it fails: the
   * node takes batches from itself and logs them as received from itself.
   */
  public void R8_37_refusesPublishFromItsOwnIdentity() {
    org.fedtrace.conformance.kit.Credential self =
        s.kit().backend().orElseThrow(() -> new Skipped("the kit has no backend (kit --node)"));
    DiagnosisKeyBatch b = valid(a(), 2);
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R8.37", () -> s.federation(self).publishBatch(request(b)));
    assertNotStored(b);
  }

  /**
   * R8.24: after OK with duplicate = false the batch is at once served by GetBatch and by
   * PullBatches to another member. When it fails: the node answers before its commit is visible.
   */
  public void R8_24_servesBatchOnceAcknowledged() {
    ByteString before = s.head(b().tls());
    DiagnosisKeyBatch b = valid(a(), 2);
    Expect.check(!publish(a().tls(), b).getDuplicate(), "R8.24: a new batch reported duplicate");
    assertServed(b);
    Expect.equal(1, copiesAfter(before, b), "R8.24 copies pulled right after OK");
  }

  /**
   * R8.25: a stored batch comes back field for field, signer_certificate and signature included,
   * keys in the order sent (not sorted) and days since onset present 0 kept present, by GetBatch
   * and by PullBatches. When it fails: the node re-encodes, re-sorts, drops presence or re-signs.
   */
  public void R8_25_servesBatchUnchanged() {
    final ByteString before = s.head(b().tls());
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(5));
    keys.set(2, keys.get(2).toBuilder().setDaysSinceOnsetOfSymptoms(0).build());
    keys.set(
        3,
        keys.get(3).toBuilder()
            .clearDaysSinceOnsetOfSymptoms()
            .addVisitedCountries("AT")
            .addVisitedCountries("FR")
            .build());
    keys.sort(
        (x, y) ->
            -x.getKeyData()
                .asReadOnlyByteBuffer()
                .compareTo(y.getKeyData().asReadOnlyByteBuffer()));
    DiagnosisKeyBatch b = sign(unsigned(a(), keys), a());
    publish(a().tls(), b);
    assertServed(b);
    ByteString c = before;
    for (int page = 0; page < 10_000; page++) {
      PullBatchesResponse r = s.pull(b().tls(), c, 1000);
      for (DiagnosisKeyBatch got : r.getBatchesList()) {
        if (got.getBatchId().equals(b.getBatchId())) {
          Expect.check(got.equals(b), "R8.25: PullBatches serves the batch changed");
          return;
        }
      }
      c = r.getNextCursor();
      if (r.getCaughtUp()) {
        break;
      }
    }
    throw new AssertionError("R8.25: the batch was not served by PullBatches");
  }
}
