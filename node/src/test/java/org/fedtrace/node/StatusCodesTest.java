package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TestPki;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every status code of spec §20.1, produced by a real node over mutual TLS on loopback (except
 * UNAUTHENTICATED for a call without TLS, which needs an in-process listener), with the exact
 * status message and, for INVALID_ARGUMENT, the google.rpc.BadRequest field violations in the order
 * of R20.6. RESOURCE_EXHAUSTED for a rate limit is in {@link RateLimitsTest}, and
 * FAILED_PRECONDITION past the sunset in {@link RetentionAndSunsetTest}. One node (DE) serves all
 * cases; FR is the usual caller and origin, each case with its own sequence numbers.
 */
class StatusCodesTest {
  @TempDir static Path dir;

  private static final AtomicLong FR_SEQUENCE = new AtomicLong();
  private static final UnknownFieldSet UNKNOWN =
      UnknownFieldSet.newBuilder()
          .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
          .build();

  private static TestFederation f;
  private static TestBatches batches;
  private static final Map<String, FederationGrpc.FederationBlockingStub> STUBS = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    f =
        TestFederation.create(dir, Clock.systemUTC(), "DE", "FR", "BE", "NL")
            .withConfig("limits:\n  maxMessageBytes: 4194304\n");
    f.startNode("DE");
    batches = new TestBatches(11, Instant.now());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    f.close();
  }

  private static FederationGrpc.FederationBlockingStub as(String caller) throws Exception {
    if (!STUBS.containsKey(caller)) {
      STUBS.put(caller, f.federation("DE", caller));
    }
    return STUBS.get(caller);
  }

  private static PublishBatchResponse publish(String caller, DiagnosisKeyBatch batch)
      throws Exception {
    return as(caller).publishBatch(PublishBatchRequest.newBuilder().setBatch(batch).build());
  }

  /** A valid batch of FR with a fresh sequence number, signed by FR. */
  private static DiagnosisKeyBatch frBatch(int keys) {
    return signedByFr(batches.batch("FR", FR_SEQUENCE.incrementAndGet(), batches.keys(keys, 5)));
  }

  private static DiagnosisKeyBatch signedByFr(DiagnosisKeyBatch batch) {
    return Signatures.sign(batch, f.credentials("FR").signing());
  }

  /** Batches of origin FR that DE holds (DE also publishes its own in the background). */
  private static long stored() {
    return f.node("DE").store().read(tx -> tx.batches().ofOrigin("FR")).size();
  }

  // ---- INVALID_ARGUMENT -------------------------------------------------------------------

  @Test
  void r20_3_everyBadFieldIsNamedInSpecOrder() {
    List<DiagnosisKey> keys = new ArrayList<>(batches.keys(4, 3));
    keys.set(0, keys.get(0).toBuilder().setRollingPeriod(0).build());
    keys.set(
        2,
        keys.get(2).toBuilder()
            .setKeyData(ByteString.copyFrom(new byte[15]))
            .setReportTypeValue(0)
            .build());
    keys.set(
        3,
        keys.get(3).toBuilder()
            .setTransmissionRiskLevel(9)
            .addVisitedCountries("FR")
            .addVisitedCountries("BE")
            .build());
    DiagnosisKeyBatch bad =
        batches.batch("FR", FR_SEQUENCE.incrementAndGet(), keys).toBuilder()
            .setBatchId(ByteString.copyFrom(new byte[3]))
            .build();
    long before = stored();

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.4: 7 violations; see the details",
            () -> publish("FR", bad));

    assertEquals(
        List.of(
            "batch.batch_id | R8.4: must be 16 bytes, got 3",
            "batch.keys[0].rolling_period | R4.2: must be in 1..144, got 0",
            "batch.keys[2].key_data | R4.1: must be 16 bytes, got 15",
            "batch.keys[2].report_type | R4.5: must be in 1..5, got 0",
            "batch.keys[3].transmission_risk_level | R4.7: must be in 0..8, got 9",
            "batch.keys[3].visited_countries | R4.10: must be strictly ascending, without repeats",
            "batch.signer_certificate | R8.11: must be one DER X.509 certificate"),
        violations(e));
    assertEquals(before, stored());
  }

  @Test
  void r20_6_moreThan32ViolationsAreCappedAndCounted() {
    List<DiagnosisKey> keys = new ArrayList<>();
    for (DiagnosisKey k : batches.keys(40, 5)) {
      keys.add(k.toBuilder().setRollingPeriod(0).build());
    }
    DiagnosisKeyBatch bad = signedByFr(batches.batch("FR", FR_SEQUENCE.incrementAndGet(), keys));

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R4.2: 40 violations; the details name the first 32",
            () -> publish("FR", bad));

    List<String> v = violations(e);
    assertEquals(32, v.size());
    for (int i = 0; i < 32; i++) {
      assertEquals(
          "batch.keys[" + i + "].rolling_period | R4.2: must be in 1..144, got 0", v.get(i));
    }
  }

  @Test
  void r4_12_R8_12_unknownFieldsOfAKeyAndOfTheBatchAreNamed() {
    List<DiagnosisKey> keys = new ArrayList<>(batches.keys(3, 3));
    keys.set(1, keys.get(1).toBuilder().setUnknownFields(UNKNOWN).build());
    DiagnosisKeyBatch bad =
        signedByFr(
            batches.batch("FR", FR_SEQUENCE.incrementAndGet(), keys).toBuilder()
                .setUnknownFields(UNKNOWN)
                .build());

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R4.12: 2 violations; see the details",
            () -> publish("FR", bad));

    assertEquals(
        List.of(
            "batch.keys[1] | R4.12: carries fields unknown to v1",
            "batch | R8.12: carries fields unknown to v1"),
        violations(e));
  }

  @Test
  void r8_12_unknownFieldsOfTheRequestAreRefused() {
    PublishBatchRequest request =
        PublishBatchRequest.newBuilder().setBatch(frBatch(3)).setUnknownFields(UNKNOWN).build();

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.12: the request carries fields unknown to v1",
            () -> as("FR").publishBatch(request));

    assertEquals(List.of(" | R8.12: the request carries fields unknown to v1"), violations(e));
  }

  @Test
  void r9_1_R9_2_pullViolationsAreCollected() {
    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R9.2: 2 violations; see the details",
            () ->
                as("FR")
                    .pullBatches(
                        PullBatchesRequest.newBuilder()
                            .setMaxBatches(1001)
                            .setCursor(ByteString.copyFromUtf8("xyz"))
                            .build()));

    assertEquals(
        List.of(
            "cursor | R9.2: is not a cursor this node issued",
            "max_batches | R9.1: must be at most 1000, got 1001"),
        violations(e));
  }

  @Test
  void r11_1_R11_2_getBatchViolationsAreCollected() {
    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R11.1: 2 violations; see the details",
            () ->
                as("FR")
                    .getBatch(
                        GetBatchRequest.newBuilder()
                            .setOrigin("de")
                            .setBatchId(ByteString.copyFrom(new byte[3]))
                            .build()));

    assertEquals(
        List.of(
            "origin | R11.1: must be CC or CC-operator-id",
            "batch_id | R11.2: must be 16 bytes, got 3"),
        violations(e));
  }

  @Test
  void r8_20_aSignatureThatDoesNotVerify() {
    DiagnosisKeyBatch forged = Signatures.altered(frBatch(3));
    long before = stored();

    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.20: batch.signature does not verify under the signer's key",
            () -> publish("FR", forged));

    assertEquals(
        List.of("batch.signature | R8.20: does not verify under the signer's key"), violations(e));
    assertEquals(before, stored());
  }

  // ---- UNAUTHENTICATED ----------------------------------------------------------------------

  @Test
  void r6_6_aCallThatDidNotComeOverTlsHasNoIdentity() throws Exception {
    Node node = Node.create(NodeConfig.load(f.configure("NL")), Clock.systemUTC());
    String name = InProcessServerBuilder.generateName();
    node.start(InProcessServerBuilder.forName(name).directExecutor());
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      var stub = FederationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      refused(
          Status.Code.UNAUTHENTICATED,
          "R6.6: the call did not come over TLS",
          () -> stub.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
      refused(
          Status.Code.UNAUTHENTICATED,
          "R6.6: the call did not come over TLS",
          () -> stub.publishBatch(PublishBatchRequest.newBuilder().setBatch(frBatch(2)).build()));
      assertEquals(0, (long) node.store().read(tx -> tx.batches().recordCount()));
    } finally {
      channel.shutdownNow();
      node.stop(Duration.ofSeconds(5));
    }
  }

  // ---- PERMISSION_DENIED --------------------------------------------------------------------

  @Test
  void r6_8_aCallerThatIsNotAMember() throws Exception {
    var stranger = f.pki().nonMember("IT", "op-it");
    var stub =
        FederationGrpc.newBlockingStub(f.channel("DE", stranger.tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    long before = stored();

    refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8: IT/op-it is not a member of the federation agreement",
        () -> stub.publishBatch(PublishBatchRequest.newBuilder().setBatch(frBatch(2)).build()));
    assertEquals(before, stored());
  }

  @Test
  void r8_13_anOriginThatIsNotAMemberCountry() {
    DiagnosisKeyBatch italian = signedByFr(batches.batch("IT", 1, batches.keys(2, 2)));

    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.13: origin IT is not the origin of a member of the agreement",
        () -> publish("FR", italian));
  }

  @Test
  void r8_14_aSignerCertificateOfAForeignAuthority() {
    var foreign = TestPki.create().member("FR", "op-fr").signing();
    DiagnosisKeyBatch b =
        Signatures.sign(
            batches.batch("FR", FR_SEQUENCE.incrementAndGet(), batches.keys(2, 2)), foreign);

    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.14: the signer certificate was not issued by the federation authority",
        () -> publish("FR", b));
  }

  @Test
  void r8_16_aTlsCertificateUsedToSign() throws Exception {
    DiagnosisKeyBatch b =
        frBatch(2).toBuilder()
            .setSignerCertificate(
                ByteString.copyFrom(f.credentials("FR").tls().certificate().getEncoded()))
            .build();

    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.16: the signer certificate is not a batch-signing certificate",
        () -> publish("FR", b));
  }

  @Test
  void r8_17_anExpiredSignerCertificate() {
    OperatorIdentity fr = f.credentials("FR").identity();
    DiagnosisKeyBatch b =
        Signatures.sign(
            batches.batch("FR", FR_SEQUENCE.incrementAndGet(), batches.keys(2, 2)),
            f.pki().expiredSigning(fr));

    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.17: the signer certificate is not valid now",
        () -> publish("FR", b));
  }

  @Test
  void r8_19_anOriginThatIsNotTheSignersCountry() {
    DiagnosisKeyBatch b =
        Signatures.sign(
            batches.batch("FR", FR_SEQUENCE.incrementAndGet(), batches.keys(2, 2)),
            f.credentials("DE").signing());

    refused(
        Status.Code.PERMISSION_DENIED,
        "R8.19: origin FR does not match signer country DE",
        () -> publish("FR", b));
  }

  @Test
  void r12_1_anUploadFromAnotherCountry() throws Exception {
    UploadDiagnosisKeysRequest upload = f.authorizedUpload("DE", batches.keys(2, 2));
    var stub =
        UploadGrpc.newBlockingStub(f.channel("DE", f.credentials("FR").tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);

    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.1: uploads are accepted only from this node's own country DE",
        () -> stub.uploadDiagnosisKeys(upload));
  }

  // ---- OK (duplicate) and ALREADY_EXISTS -----------------------------------------------------

  @Test
  void r8_21_anIdenticalRetryIsADuplicateAndStoredOnce() throws Exception {
    DiagnosisKeyBatch b = frBatch(5);
    long before = stored();

    assertFalse(publish("FR", b).getDuplicate());
    assertTrue(publish("FR", b).getDuplicate());
    assertTrue(publish("BE", b).getDuplicate(), "a forward of the same batch by another member");

    assertEquals(before + 1, stored());
    List<StoredBatch> held =
        f.node("DE").store().read(tx -> tx.batches().ofOrigin("FR")).stream()
            .filter(s -> TestBatches.parse(s.payload()).getBatchId().equals(b.getBatchId()))
            .toList();
    assertEquals(1, held.size());
    assertArrayEquals(b.toByteArray(), held.get(0).payload(), "R8.25: stored unchanged");
  }

  @Test
  void r8_22_theSameBatchIdWithOtherContent() throws Exception {
    DiagnosisKeyBatch first = frBatch(3);
    publish("FR", first);
    DiagnosisKeyBatch other =
        signedByFr(first.toBuilder().clearKeys().addAllKeys(batches.keys(3, 3)).build());

    refused(
        Status.Code.ALREADY_EXISTS,
        "R8.22: batch id already used by origin FR for other content",
        () -> publish("FR", other));
  }

  @Test
  void r8_23_aSequenceNumberUsedByAnotherBatch() throws Exception {
    DiagnosisKeyBatch first = frBatch(3);
    publish("FR", first);
    DiagnosisKeyBatch replay =
        signedByFr(batches.batch("FR", first.getSequence(), batches.keys(3, 3)));
    long before = stored();

    refused(
        Status.Code.ALREADY_EXISTS,
        "R8.23: sequence " + first.getSequence() + " of origin FR is already used by another batch",
        () -> publish("FR", replay));
    assertEquals(before, stored());
  }

  @Test
  void r12_18_anAuthorizationUsedTwice() throws Exception {
    UploadDiagnosisKeysRequest upload = f.authorizedUpload("DE", batches.keys(2, 2));
    var stub =
        UploadGrpc.newBlockingStub(f.channel("DE", f.credentials("DE").tls()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertEquals(2, stub.uploadDiagnosisKeys(upload).getAcceptedKeys());

    refused(
        Status.Code.ALREADY_EXISTS,
        "R12.18: the authorization was already used; its keys are stored",
        () -> stub.uploadDiagnosisKeys(upload));
  }

  // ---- RESOURCE_EXHAUSTED -----------------------------------------------------------------

  @Test
  void r8_3_moreKeysThanTheNodeAccepts() {
    DiagnosisKey k = batches.key(1);
    DiagnosisKeyBatch big =
        batches.batch("FR", FR_SEQUENCE.incrementAndGet(), Collections.nCopies(10_001, k));

    refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "R8.3: the batch holds 10001 keys; this node accepts at most 10000",
        () -> publish("FR", big));
  }

  @Test
  void r6_13_aMessageLargerThanMaxMessageBytes() {
    DiagnosisKeyBatch huge =
        frBatch(2).toBuilder()
            .setSignerCertificate(ByteString.copyFrom(new byte[4 * 1024 * 1024]))
            .build();
    long before = stored();

    var e = refused(Status.Code.RESOURCE_EXHAUSTED, () -> publish("FR", huge));

    // R20.2: the gRPC library refuses it before the node's code runs, so no rule id
    assertEquals(
        "gRPC message exceeds maximum size 4194304: " + (huge.getSerializedSize() + 5),
        e.getStatus().getDescription());
    assertEquals(before, stored());
  }

  // ---- FAILED_PRECONDITION -----------------------------------------------------------------

  @Test
  void r8_2_aFormatVersionThisNodeDoesNotSpeak() {
    DiagnosisKeyBatch v2 =
        signedByFr(
            batches.batch("FR", FR_SEQUENCE.incrementAndGet(), batches.keys(2, 2)).toBuilder()
                .setFormatVersion(3)
                .build());

    refused(
        Status.Code.FAILED_PRECONDITION,
        "R8.2: format_version 3 is not supported; this node speaks 1 and 2",
        () -> publish("FR", v2));
  }

  // ---- NOT_FOUND and UNIMPLEMENTED ---------------------------------------------------------

  @Test
  void r11_3_getBatchOfABatchNotHeld() {
    refused(
        Status.Code.NOT_FOUND,
        "R11.3: no such batch is served",
        () ->
            as("FR")
                .getBatch(
                    GetBatchRequest.newBuilder()
                        .setOrigin("FR")
                        .setBatchId(ByteString.copyFrom(new byte[16]))
                        .build()));
  }

  @Test
  void r6_17_aMethodTheNodeDoesNotOfferIsUnimplemented() throws Exception {
    // the node offers every optional feature of v1, so an unknown method stands in for one
    io.grpc.MethodDescriptor<GetCheckpointRequest, GetCheckpointRequest> unknown =
        io.grpc.MethodDescriptor.<GetCheckpointRequest, GetCheckpointRequest>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("fedtrace.v1.TransparencyLog/GetWitnessCosignature")
            .setRequestMarshaller(
                io.grpc.protobuf.ProtoUtils.marshaller(GetCheckpointRequest.getDefaultInstance()))
            .setResponseMarshaller(
                io.grpc.protobuf.ProtoUtils.marshaller(GetCheckpointRequest.getDefaultInstance()))
            .build();
    var channel = f.channel("DE", f.credentials("FR").tls());

    refused(
        Status.Code.UNIMPLEMENTED,
        "Method not found: fedtrace.v1.TransparencyLog/GetWitnessCosignature",
        () ->
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                channel,
                unknown,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                GetCheckpointRequest.getDefaultInstance()));
  }

  // ---- UNAVAILABLE ---------------------------------------------------------------------------

  @Test
  void r21_2_R21_3_drainingEndsOpenStreamsWithUnavailable() throws Exception {
    f.startNode("BE");
    CompletableFuture<SubscribeBatchesResponse> first = new CompletableFuture<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    FederationGrpc.newStub(f.channel("BE", f.credentials("FR").tls()))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .subscribeBatches(
            SubscribeBatchesRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(SubscribeBatchesResponse r) {
                first.complete(r);
              }

              @Override
              public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    assertTrue(first.get(20, TimeUnit.SECONDS).getCaughtUp(), "the stream is open and caught up");

    f.stopNode("BE");

    Status s = end.get(20, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
    assertEquals(
        "R21.3: the node is shutting down; resume from the last cursor", s.getDescription());
  }
}
