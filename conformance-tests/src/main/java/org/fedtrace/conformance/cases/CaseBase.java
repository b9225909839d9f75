package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;

/** What every case class shares: the session and short ways to make and send test batches. */
abstract class CaseBase {
  /** Protobuf field number no fedtrace.v1 message uses, for unknown-field cases. */
  static final int UNKNOWN_FIELD = 99;

  protected final Session s;

  CaseBase(Session s) {
    this.s = s;
  }

  /** Test member A (publishes). */
  Kit.Operator a() {
    return s.kit().memberA();
  }

  /** Test member B, another country (pulls, forwards). */
  Kit.Operator b() {
    return s.kit().memberB();
  }

  Batches batches() {
    return s.batches();
  }

  /** An unsigned batch of {@code n} valid keys with {@code origin}'s country as origin. */
  DiagnosisKeyBatch.Builder unsigned(Kit.Operator origin, int n) {
    return batches().batch(origin.identity().country(), batches().keys(n));
  }

  /** An unsigned batch of {@code keys} with {@code origin}'s country as origin. */
  DiagnosisKeyBatch.Builder unsigned(Kit.Operator origin, List<DiagnosisKey> keys) {
    return batches().batch(origin.identity().country(), keys);
  }

  /** A valid batch of {@code n} keys, origin and signer {@code origin}. */
  DiagnosisKeyBatch valid(Kit.Operator origin, int n) {
    return Batches.sign(unsigned(origin, n), origin.signing());
  }

  /** {@code b} signed by {@code signer}'s signing credential. */
  static DiagnosisKeyBatch sign(DiagnosisKeyBatch.Builder b, Kit.Operator signer) {
    return Batches.sign(b, signer.signing());
  }

  static PublishBatchRequest request(DiagnosisKeyBatch b) {
    return PublishBatchRequest.newBuilder().setBatch(b).build();
  }

  /** Publishes {@code b} as {@code caller}, which must succeed. */
  PublishBatchResponse publish(Credential caller, DiagnosisKeyBatch b) {
    return Expect.succeeds(
        "PublishBatch of a valid batch", () -> s.federation(caller).publishBatch(request(b)));
  }

  /** Publishes {@code b} as member A and asserts the refusal. */
  Expect.Refusal publishRefused(Status.Code code, String rule, DiagnosisKeyBatch b) {
    return Expect.refused(code, rule, () -> s.federation(a().tls()).publishBatch(request(b)));
  }

  /** Asserts that member B can fetch {@code b} and gets it unchanged. */
  void assertServed(DiagnosisKeyBatch b) {
    DiagnosisKeyBatch got =
        Expect.<org.fedtrace.proto.v1.GetBatchResponse>succeeds(
                "GetBatch of a stored batch", () -> s.federation(b().tls()).getBatch(get(b)))
            .getBatch();
    Expect.check(got.equals(b), "the node serves the batch changed");
  }

  /** Asserts that the node does not serve {@code b}: it was not stored. */
  void assertNotStored(DiagnosisKeyBatch b) {
    Expect.refused(Status.Code.NOT_FOUND, "R11.3", () -> s.federation(b().tls()).getBatch(get(b)));
  }

  static GetBatchRequest get(DiagnosisKeyBatch b) {
    return GetBatchRequest.newBuilder().setOrigin(b.getOrigin()).setBatchId(b.getBatchId()).build();
  }

  /** Makes sure the node answers a member before a case that expects a refusal. */
  void reachable() {
    Expect.succeeds(
        "GetNodeInfo as a member",
        () -> s.federation(a().tls()).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
  }

  /** An unknown field (number {@value #UNKNOWN_FIELD}, some bytes), as a newer sender might add. */
  static UnknownFieldSet unknownField() {
    return UnknownFieldSet.newBuilder()
        .addField(
            UNKNOWN_FIELD,
            UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("not in fedtrace.v1"))
                .build())
        .build();
  }

  /**
   * A PublishBatchRequest of exactly {@code size} serialized bytes: a valid batch of member A whose
   * signer_certificate is zero bytes of the right length (so R8.11 refuses it).
   */
  PublishBatchRequest sized(int size) {
    DiagnosisKeyBatch b = valid(a(), 1);
    int filler =
        size
            - request(b.toBuilder().setSignerCertificate(ByteString.EMPTY).build())
                .getSerializedSize();
    for (int attempt = 0; attempt < 8; attempt++) {
      PublishBatchRequest r =
          request(
              b.toBuilder().setSignerCertificate(ByteString.copyFrom(new byte[filler])).build());
      int diff = size - r.getSerializedSize();
      if (diff == 0) {
        return r;
      }
      filler += diff;
    }
    throw new IllegalStateException("cannot make a request of exactly " + size + " bytes");
  }

  /** The ids of every batch {@code caller} pulls after {@code cursor}, until caught up. */
  List<ByteString> pulledIds(Credential caller, ByteString cursor) {
    List<ByteString> out = new java.util.ArrayList<>();
    ByteString c = cursor;
    for (int page = 0; page < 10_000; page++) {
      org.fedtrace.proto.v1.PullBatchesResponse r = s.pull(caller, c, 1000);
      r.getBatchesList().forEach(b -> out.add(b.getBatchId()));
      c = r.getNextCursor();
      if (r.getCaughtUp()) {
        return out;
      }
    }
    throw new AssertionError("PullBatches never caught up");
  }
}
