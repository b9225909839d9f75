package org.fedtrace.conformance.cases;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;

/** Spec §20: status codes and error details. */
public final class StatusCases extends CaseBase {
  /** Request and response bytes as they are. */
  private static final io.grpc.MethodDescriptor.Marshaller<byte[]> RAW =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public java.io.InputStream stream(byte[] value) {
          return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  public StatusCases(Session s) {
    super(s);
  }

  /**
   * R20.1: one request per row of the status-code table gets exactly that row's code (never
   * UNKNOWN): OK, INVALID_ARGUMENT (R8.1), UNAUTHENTICATED (R6.3, or a failed handshake),
   * PERMISSION_DENIED (R6.8), ALREADY_EXISTS (R8.23), RESOURCE_EXHAUSTED (R8.3),
   * FAILED_PRECONDITION (R8.2), NOT_FOUND (R11.3), UNIMPLEMENTED (R6.17, when a feature is
   * missing). UNAVAILABLE is checked by R21.2. Failures are collected. When it fails: the node maps
   * a check to another code.
   */
  public void R20_1_answersEachCodeOfTheTable() {
    List<String> failures = new ArrayList<>();
    row(
        failures,
        "OK",
        () ->
            Expect.succeeds(
                "OK",
                () ->
                    s.federation(a().tls()).getNodeInfo(GetNodeInfoRequest.getDefaultInstance())));
    row(failures, "INVALID_ARGUMENT", () -> new PublishCases(s).R8_1_refusesRequestWithoutBatch());
    row(
        failures,
        "UNAUTHENTICATED",
        () ->
            Expect.handshakeRefused(
                Status.Code.UNAUTHENTICATED,
                "R6.3",
                () ->
                    FederationGrpc.newBlockingStub(
                            s.connections().fresh(s.kit().foreignCa().tls(), "TLSv1.3"))
                        .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())));
    row(
        failures,
        "PERMISSION_DENIED",
        () ->
            Expect.refused(
                Status.Code.PERMISSION_DENIED,
                "R6.8",
                () ->
                    s.federation(s.kit().nonMember().tls())
                        .getNodeInfo(GetNodeInfoRequest.getDefaultInstance())));
    row(failures, "ALREADY_EXISTS", () -> new IdempotencyCases(s).R8_23_refusesReusedSequence());
    row(failures, "RESOURCE_EXHAUSTED", () -> tooManyKeys());
    row(
        failures,
        "FAILED_PRECONDITION",
        () ->
            publishRefused(
                Status.Code.FAILED_PRECONDITION,
                "R8.2",
                sign(unsigned(a(), 1).setFormatVersion(3), a())));
    row(
        failures,
        "NOT_FOUND",
        () ->
            Expect.refused(
                Status.Code.NOT_FOUND,
                "R11.3",
                () ->
                    s.federation(b().tls())
                        .getBatch(
                            GetBatchRequest.newBuilder()
                                .setOrigin(a().identity().country())
                                .setBatchId(batches().random16())
                                .build())));
    row(
        failures,
        "UNIMPLEMENTED",
        () -> {
          try {
            new TransportCases(s).R6_17_answersUnimplementedForUnlistedFeatures();
          } catch (Skipped e) {
            // every optional feature is offered: no UNIMPLEMENTED to provoke
          }
        });
    if (!failures.isEmpty()) {
      throw new AssertionError("R20.1: " + failures);
    }
  }

  private Expect.Refusal publishRefusedByAny(List<String> rules, DiagnosisKeyBatch b) {
    return Expect.refusedByAny(
        Status.Code.INVALID_ARGUMENT,
        rules,
        () -> s.federation(a().tls()).publishBatch(request(b)));
  }

  private void tooManyKeys() {
    long max = Integer.toUnsignedLong(s.info().getMaxKeysPerBatch());
    if (max <= 50_000) {
      publishRefused(Status.Code.RESOURCE_EXHAUSTED, "R8.3", valid(a(), (int) max + 1));
    }
  }

  private static void row(List<String> failures, String code, Runnable check) {
    try {
      check.run();
    } catch (AssertionError e) {
      failures.add(code + ": " + e.getMessage());
    }
  }

  /**
   * R20.2: refusals of different kinds start their status message with the rule id and ": ". When
   * it fails: messages without rule ids, or another rule's id.
   */
  public void R20_2_startsMessagesWithRuleId() {
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () ->
            s.federation(s.kit().nonMember().tls())
                .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    publishRefused(
        Status.Code.PERMISSION_DENIED,
        "R8.19",
        sign(unsigned(a(), 1).setOrigin(b().identity().country()), a()));
    publishRefused(
        Status.Code.INVALID_ARGUMENT, "R8.6", sign(unsigned(a(), 1).setSequence(0), a()));
    Expect.refused(
        Status.Code.NOT_FOUND,
        "R11.3",
        () ->
            s.federation(b().tls())
                .getBatch(
                    GetBatchRequest.newBuilder()
                        .setOrigin(a().identity().country())
                        .setBatchId(batches().random16())
                        .build()));
  }

  /**
   * R20.3: every INVALID_ARGUMENT carries a BadRequest with one violation per violation found, also
   * where an RPC collects several: GetBatch with a bad origin and a bad batch_id (both named),
   * PullBatches with a bad max_batches and a bad cursor (both named). When it fails: the node stops
   * at the first violation where the spec says they are collected (§9, §11 check orders), or sends
   * no details.
   */
  public void R20_3_attachesOneViolationPerViolation() {
    List<String> failures = new ArrayList<>();
    row(
        failures,
        "GetBatch",
        () -> {
          Expect.Refusal get =
              Expect.refusedByAny(
                  Status.Code.INVALID_ARGUMENT,
                  List.of("R11.1", "R11.2"),
                  () ->
                      s.federation(b().tls())
                          .getBatch(
                              GetBatchRequest.newBuilder()
                                  .setOrigin("x")
                                  .setBatchId(batches().randomBytes(3))
                                  .build()));
          Expect.equal(List.of("origin", "batch_id"), get.fields(), "violations");
        });
    row(
        failures,
        "PullBatches",
        () -> {
          Expect.Refusal pull =
              Expect.refusedByAny(
                  Status.Code.INVALID_ARGUMENT,
                  List.of("R9.1", "R9.2"),
                  () ->
                      s.federation(b().tls())
                          .pullBatches(
                              PullBatchesRequest.newBuilder()
                                  .setMaxBatches(5000)
                                  .setCursor(batches().randomBytes(65))
                                  .build()));
          Expect.equal(List.of("cursor", "max_batches"), pull.fields(), "violations");
        });
    if (!failures.isEmpty()) {
      throw new AssertionError("R20.3: " + failures);
    }
  }

  /**
   * R20.4: field paths use proto field names from the request, zero-based indexes: {@code
   * batch.keys[3].rolling_period}, and {@code batch.keys[2]} for a key's unknown field (R4.12).
   * When it fails: paths use JSON names, one-based or sorted indexes.
   */
  public void R20_4_namesFieldsByPath() {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(5));
    keys.set(3, keys.get(3).toBuilder().setRollingPeriod(200).build());
    keys.set(2, keys.get(2).toBuilder().setUnknownFields(unknownField()).build());
    Expect.Refusal r =
        publishRefusedByAny(List.of("R4.2", "R4.12"), sign(unsigned(a(), keys), a()));
    r.hasField("batch.keys[3].rolling_period", "R4.2").hasField("batch.keys[2]", "R4.12");
  }

  /**
   * R20.5: descriptions start with a rule id, fit 80 characters and echo no submitted bytes: the
   * hex or base64 of a 17-byte key_data and of a 15-byte batch_id appear in no description or
   * message. When it fails: error texts leak key material into logs.
   */
  public void R20_5_keepsDescriptionsShortWithoutSubmittedBytes() {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(2));
    keys.set(0, keys.get(0).toBuilder().setKeyData(batches().randomBytes(17)).build());
    DiagnosisKeyBatch b = sign(unsigned(a(), keys).setBatchId(batches().randomBytes(15)), a());
    Expect.Refusal r = publishRefusedByAny(List.of("R8.4", "R4.1"), b);
    List<String> texts =
        new ArrayList<>(r.violations().stream().map(v -> v.getDescription()).toList());
    texts.add(r.message());
    for (byte[] secret :
        List.of(keys.get(0).getKeyData().toByteArray(), b.getBatchId().toByteArray())) {
      String hex = HexFormat.of().formatHex(secret);
      String base64 = java.util.Base64.getEncoder().encodeToString(secret);
      for (String t : texts) {
        Expect.check(
            !t.toLowerCase(java.util.Locale.ROOT).contains(hex) && !t.contains(base64),
            "R20.5: a description echoes submitted bytes: " + t);
      }
    }
  }

  /**
   * R20.6: violations are ordered depth-first by field number, list elements by index, a message's
   * own violation after its fields', at most one per path, capped at 32 with the total in the
   * status message. When it fails: another order, duplicates, no cap or no total.
   */
  public void R20_6_ordersAndCapsViolations() {
    List<DiagnosisKey> keys = new ArrayList<>(batches().keys(2));
    keys.set(
        0, keys.get(0).toBuilder().setRollingPeriod(0).setUnknownFields(unknownField()).build());
    keys.set(1, keys.get(1).toBuilder().setReportTypeValue(0).build());
    DiagnosisKeyBatch few =
        sign(unsigned(a(), keys), a()).toBuilder().setUnknownFields(unknownField()).build();
    Expect.Refusal r = publishRefusedByAny(List.of("R4.2", "R4.12", "R4.5", "R8.12"), few);
    Expect.equal(
        List.of(
            "batch.keys[0].rolling_period", "batch.keys[0]", "batch.keys[1].report_type", "batch"),
        r.fields(),
        "R20.6 order");
    List<DiagnosisKey> many = new ArrayList<>();
    for (DiagnosisKey k : batches().keys(40)) {
      many.add(k.toBuilder().setRollingPeriod(0).build());
    }
    DiagnosisKeyBatch lots = sign(unsigned(a(), many).setBatchId(batches().randomBytes(3)), a());
    Expect.Refusal capped = publishRefusedByAny(List.of("R8.4", "R4.2"), lots);
    Expect.equal(32, capped.violations().size(), "R20.6 violations sent of 41");
    Expect.equal("batch.batch_id", capped.fields().get(0), "R20.6 first violation");
    Expect.equal(
        "batch.keys[30].rolling_period", capped.fields().get(31), "R20.6 last violation sent");
    Expect.check(
        capped.message().contains("41"),
        "R20.6: the status message does not state the total 41: " + capped.message());
  }

  /**
   * R20.10: GetBatch and PullBatches with request bytes that do not decode (a length-delimited
   * field 1 claiming five bytes that never come) are refused INVALID_ARGUMENT by R20.10, with a
   * BadRequest. When it fails: the node leaves parse errors to its gRPC library, which ends the
   * call UNKNOWN or INTERNAL.
   */
  public void R20_10_refusesUndecodableRequests() {
    io.grpc.ManagedChannel ch = s.connections().as(a().tls());
    for (io.grpc.MethodDescriptor<?, ?> m :
        List.of(FederationGrpc.getGetBatchMethod(), FederationGrpc.getPullBatchesMethod())) {
      io.grpc.MethodDescriptor<byte[], byte[]> raw =
          io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(m.getFullMethodName())
              .setRequestMarshaller(RAW)
              .setResponseMarshaller(RAW)
              .build();
      Expect.refused(
          Status.Code.INVALID_ARGUMENT,
          "R20.10",
          () ->
              io.grpc.stub.ClientCalls.blockingUnaryCall(
                  ch,
                  raw,
                  io.grpc.CallOptions.DEFAULT.withDeadlineAfter(
                      Session.DEADLINE_SECONDS, TimeUnit.SECONDS),
                  new byte[] {0x0a, 0x05}));
    }
  }

  /**
   * R20.7 (SHOULD): a rate-limit refusal carries google.rpc.RetryInfo. Needs a declared rate limit.
   * When it fails: clients cannot tell when to retry.
   */
  @Needs(Need.RATE_LIMIT)
  public void R20_7_attachesRetryInfoToRateLimit() throws InterruptedException {
    Expect.Refusal r = new TransportCases(s).rateLimited();
    com.google.rpc.Status status = StatusProto.fromStatusAndTrailers(r.status(), r.trailers());
    Expect.check(status != null, "no status details");
    boolean retry = false;
    for (Any d : status.getDetailsList()) {
      retry |= d.is(RetryInfo.class);
    }
    Expect.check(retry, "R20.7: no google.rpc.RetryInfo on a rate-limit refusal");
  }
}
