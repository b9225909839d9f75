package org.fedtrace.conformance.cases;

import io.grpc.Status;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;

/**
 * spec §26.2 as a peer sees it: the kit's regional members C and D, two members of one test country
 * of their own, publish to the node and pull from it. Their origins are {@code CC-conformance-c}
 * and {@code CC-conformance-d}; the node under test is the only member of its country here (the
 * cases of a second member of the node's country are in {@link RegionalNodeCases}).
 */
public final class RegionalMemberCases extends LogCaseBase {
  public RegionalMemberCases(Session s) {
    super(s);
  }

  private Kit.Operator c() {
    return s.kit().memberC().orElseThrow();
  }

  private Kit.Operator d() {
    return s.kit().memberD().orElseThrow();
  }

  /** The member origin of {@code m} (§26.2): its country, a hyphen and its operator id. */
  static String originOf(Kit.Operator m) {
    return m.identity().country() + "-" + m.identity().operatorId();
  }

  /** A batch of {@code n} keys of member {@code m}'s origin, signed by {@code signer}. */
  private DiagnosisKeyBatch batchOf(Kit.Operator m, Kit.Operator signer, int n) {
    return sign(batches().batch(originOf(m), batches().keys(n)), signer);
  }

  /**
   * R26.10: a batch of C's origin signed with D's batch-signing certificate (same country, other
   * member), published by C and forwarded by member B: PERMISSION_DENIED by R26.10 both times, and
   * not stored; the same keys signed by C are stored and served. When it fails: the node checks
   * only the signer's country (R8.19), and one member of a country can sign for another.
   */
  @Needs(Need.REGIONAL_MEMBERS)
  public void R26_10_refusesABatchSignedByAnotherMemberOfItsCountry() {
    DiagnosisKeyBatch spoofed = batchOf(c(), d(), 3);
    for (Kit.Operator caller : List.of(c(), b())) {
      Expect.refused(
          Status.Code.PERMISSION_DENIED,
          "R26.10",
          () -> s.federation(caller.tls()).publishBatch(request(spoofed)));
    }
    assertNotStored(spoofed);
    DiagnosisKeyBatch own = batchOf(c(), c(), 3);
    publish(c().tls(), own);
    assertServed(own);
  }

  /**
   * R26.11: C's batch signed over the member-batch encoding of §26.2 is stored and served as sent;
   * the same batch signed over the §5.3 encoding of its country (two origin bytes) is refused with
   * INVALID_ARGUMENT by R8.20. When it fails: the node verifies member batches over another
   * encoding than §26.2's, so signatures made to the spec do not verify or forged layouts do.
   */
  @Needs(Need.REGIONAL_MEMBERS)
  public void R26_11_verifiesMemberBatchesOverTheMemberEncoding() {
    DiagnosisKeyBatch good = batchOf(c(), c(), 2);
    byte[] raw = Ed25519RawKey.of(c());
    Expect.check(
        Ed25519.verify(raw, Canonical.batch(good), good.getSignature().toByteArray()),
        "the suite's own member-batch encoding does not verify (suite fault)");
    publish(c().tls(), good);
    assertServed(good);
    DiagnosisKeyBatch.Builder other = batches().batch(originOf(c()), batches().keys(2));
    DiagnosisKeyBatch asCountry =
        sign(other.clone().setOrigin(c().identity().country()), c()).toBuilder()
            .setOrigin(originOf(c()))
            .build();
    publishRefusedAs(c(), Status.Code.INVALID_ARGUMENT, "R8.20", asCountry);
    assertNotStored(asCountry);
  }

  /**
   * R26.13 (with R9.8): D pulls after C published a batch, from the cursor D was at before: the
   * batch is among those returned, for its origin is C's, not D's, though both share a country; C
   * pulling with {@code include_own_origin} gets it too (R9.13). When it fails: the node leaves out
   * the batches of the caller's country rather than of the caller's origin.
   */
  @Needs(Need.REGIONAL_MEMBERS)
  public void R26_13_servesAMemberTheBatchesOfAnotherMemberOfItsCountry() {
    var before = s.head(d().tls());
    DiagnosisKeyBatch x = batchOf(c(), c(), 2);
    publish(c().tls(), x);
    Expect.check(
        pulledIds(d().tls(), before).contains(x.getBatchId()),
        "R26.13: D, of C's country but another origin, was not served C's batch");
    Expect.check(
        pulledOwn(c(), before).contains(x.getBatchId()),
        "R9.13: C pulling with include_own_origin was not served its own batch");
  }

  /**
   * R26.16: the node's log records C's stored batch as BATCH_RECEIVED with origin {@code
   * CC-conformance-c} whole and peer C, and the refusal of the batch D signed for C as
   * BATCH_REFUSED with the same origin and reason R26.10; both entries hash, with the suite's own
   * encoding of transparency.md §5.1.1, to leaves of the signed tree. When it fails: the log
   * records a member origin's country only, and a reader cannot tell the members' batches apart.
   */
  @Needs({Need.REGIONAL_MEMBERS, Need.TRANSPARENCY_LOG})
  public void R26_16_logsTheWholeMemberOrigin() {
    Checkpoint before = log.checkpoint();
    DiagnosisKeyBatch stored = batchOf(c(), c(), 2);
    publish(c().tls(), stored);
    DiagnosisKeyBatch spoofed = batchOf(c(), d(), 2);
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.10",
        () -> s.federation(c().tls()).publishBatch(request(spoofed)));
    Checkpoint after = log.checkpoint();
    String peer = c().identity().toString();
    LogEntry received =
        log.findOne(
            "R13.1",
            "BATCH_RECEIVED of C's batch",
            before.getTreeSize(),
            after,
            e ->
                e.getEventType() == EventType.EVENT_TYPE_BATCH_RECEIVED
                    && about(e, Canonical.contentHash(stored)));
    Expect.equal(originOf(c()), received.getOrigin(), "R26.16 origin of BATCH_RECEIVED");
    Expect.equal(peer, received.getPeer(), "R13.1 peer of BATCH_RECEIVED");
    LogEntry refused =
        log.findOne(
            "R13.1",
            "BATCH_REFUSED of the batch D signed for C",
            before.getTreeSize(),
            after,
            e ->
                e.getEventType() == EventType.EVENT_TYPE_BATCH_REFUSED
                    && about(e, Canonical.contentHash(spoofed)));
    Expect.equal(originOf(c()), refused.getOrigin(), "R26.16 origin of BATCH_REFUSED");
    Expect.equal("R26.10", refused.getReason(), "R13.1 reason of BATCH_REFUSED");
    log.assertIncluded(received, after);
    log.assertIncluded(refused, after);
  }

  /** Publishes {@code b} as {@code caller} and asserts the refusal. */
  private void publishRefusedAs(
      Kit.Operator caller, Status.Code code, String rule, DiagnosisKeyBatch b) {
    Expect.refused(code, rule, () -> s.federation(caller.tls()).publishBatch(request(b)));
  }

  /** The ids {@code m} pulls after {@code cursor} with {@code include_own_origin}. */
  private List<com.google.protobuf.ByteString> pulledOwn(
      Kit.Operator m, com.google.protobuf.ByteString cursor) {
    List<com.google.protobuf.ByteString> out = new java.util.ArrayList<>();
    com.google.protobuf.ByteString at = cursor;
    for (int page = 0; page < 10_000; page++) {
      PullBatchesRequest r =
          PullBatchesRequest.newBuilder()
              .setCursor(at)
              .setMaxBatches(1000)
              .setIncludeOwnOrigin(true)
              .build();
      PullBatchesResponse answer =
          Expect.succeeds(
              "PullBatches with include_own_origin", () -> s.federation(m.tls()).pullBatches(r));
      answer.getBatchesList().forEach(b -> out.add(b.getBatchId()));
      at = answer.getNextCursor();
      if (answer.getCaughtUp()) {
        return out;
      }
    }
    throw new AssertionError("PullBatches never caught up");
  }

  /** The raw Ed25519 public key of an operator's batch-signing certificate. */
  static final class Ed25519RawKey {
    private Ed25519RawKey() {}

    static byte[] of(Kit.Operator m) {
      byte[] spki = m.signing().certificate().getPublicKey().getEncoded();
      return java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }
  }
}
