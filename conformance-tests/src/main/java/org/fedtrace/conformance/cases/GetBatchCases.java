package org.fedtrace.conformance.cases;

import io.grpc.Status;
import java.util.Locale;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.proto.v1.GetBatchRequest;

/** Spec §11: GetBatch. */
public final class GetBatchCases extends CaseBase {
  public GetBatchCases(Session s) {
    super(s);
  }

  private Expect.Refusal refused(Status.Code code, String rule, GetBatchRequest r) {
    return Expect.refused(code, rule, () -> s.federation(b().tls()).getBatch(r));
  }

  /** R11.1: origin "xa" (lower case); field path {@code origin}. When it fails: no syntax check. */
  public void R11_1_refusesMalformedOrigin() {
    GetBatchRequest r =
        GetBatchRequest.newBuilder()
            .setOrigin(a().identity().country().toLowerCase(Locale.ROOT))
            .setBatchId(batches().random16())
            .build();
    refused(Status.Code.INVALID_ARGUMENT, "R11.1", r).hasField("origin", "R11.1");
  }

  /** R11.2: batch_id of 15 bytes; field path {@code batch_id}. When it fails: no length check. */
  public void R11_2_refusesBatchIdNot16Bytes() {
    GetBatchRequest r =
        GetBatchRequest.newBuilder()
            .setOrigin(a().identity().country())
            .setBatchId(batches().randomBytes(15))
            .build();
    refused(Status.Code.INVALID_ARGUMENT, "R11.2", r).hasField("batch_id", "R11.2");
  }

  /**
   * R11.3: a well-formed id the node never stored gets NOT_FOUND; a stored batch is found. When it
   * fails: the node answers OK with an empty batch, or another code.
   */
  public void R11_3_answersNotFoundForUnknownBatch() {
    GetBatchRequest r =
        GetBatchRequest.newBuilder()
            .setOrigin(a().identity().country())
            .setBatchId(batches().random16())
            .build();
    refused(Status.Code.NOT_FOUND, "R11.3", r);
    org.fedtrace.proto.v1.DiagnosisKeyBatch b = valid(a(), 1);
    publish(a().tls(), b);
    assertServed(b);
  }

  /**
   * R9.11: a batch created {@code retention_days} minus 300 s ago, which the node accepts (R8.8),
   * is not served, because a client whose clock is up to 600 s ahead must refuse it by R8.8:
   * GetBatch answers NOT_FOUND and a pull from the head before it does not return it. When it
   * fails: the node serves batches by their keys' retention only, and clients refuse them.
   */
  public void R9_11_servesNoBatchAClientMustRefuse() {
    com.google.protobuf.ByteString before = s.head(b().tls());
    long retention = s.info().getRetentionDays() * 86_400L;
    org.fedtrace.proto.v1.DiagnosisKeyBatch old =
        sign(unsigned(a(), 2).setCreatedUnixSeconds(batches().now() - retention + 300), a());
    publish(a().tls(), old);
    refused(Status.Code.NOT_FOUND, "R11.3", get(old));
    org.fedtrace.proto.v1.PullBatchesResponse r = s.pull(b().tls(), before, 1000);
    Expect.check(
        r.getBatchesList().stream().noneMatch(x -> x.getBatchId().equals(old.getBatchId())),
        "R9.11: PullBatches served a batch a client 600 s ahead refuses by R8.8");
  }
}
