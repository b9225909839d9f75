package org.fedtrace.conformance.cases;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;

/** Spec §6: transport, identity, deadlines, message sizes, rate limits, optional features. */
public final class TransportCases extends CaseBase {
  public TransportCases(Session s) {
    super(s);
  }

  private FederationGrpc.FederationBlockingStub stub(ManagedChannel ch) {
    return FederationGrpc.newBlockingStub(ch)
        .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private Object nodeInfo(ManagedChannel ch) {
    return stub(ch).getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
  }

  /**
   * R6.1: a client offering only TLS 1.2 (with a valid member certificate) fails the handshake, on
   * a plain TLS socket and as a gRPC call. When it fails: the listener accepts TLS 1.2; restrict
   * the server's TLS protocols to TLSv1.3.
   */
  public void R6_1_refusesTls12() {
    reachable();
    try {
      s.connections().handshake(a().tls(), "TLSv1.2");
      throw new AssertionError("R6.1: the node completed a TLS 1.2 handshake");
    } catch (IOException expected) {
      // the handshake failed, as it must
    }
    Expect.handshakeRefused(
        null, "R6.1", () -> nodeInfo(s.connections().fresh(a().tls(), "TLSv1.2")));
  }

  /**
   * R6.2: a client presenting no certificate fails the handshake; no call is answered. When it
   * fails: the node's TLS server does not require a client certificate (client auth must be
   * REQUIRE, not OPTIONAL), or it answers callers without one.
   */
  public void R6_2_refusesClientWithoutCertificate() {
    reachable();
    Expect.handshakeRefused(null, "R6.2", () -> nodeInfo(s.connections().fresh(null, "TLSv1.3")));
    Expect.handshakeRefused(
        null,
        "R6.2",
        () -> stub(s.connections().fresh(null, "TLSv1.3")).publishBatch(request(valid(a(), 1))));
  }

  /**
   * R6.3: client certificates of another authority with the same name, and expired ones (of a
   * member identity), fail the handshake or get UNAUTHENTICATED. When it fails: the node trusts a
   * system trust store or more than the configured federation authority, or ignores validity.
   */
  public void R6_3_refusesUntrustedOrExpiredClientCertificate() {
    reachable();
    for (Credential c : List.of(s.kit().foreignCa().tls(), s.kit().expired().tls())) {
      Expect.handshakeRefused(
          Status.Code.UNAUTHENTICATED, "R6.3", () -> nodeInfo(s.connections().fresh(c, "TLSv1.3")));
    }
  }

  /**
   * R6.5: identity-carrying headers (as proxies set them) do not make a non-member a member: the
   * call is still refused by R6.8. When it fails: the node reads the caller's identity from
   * metadata instead of the verified TLS certificate.
   */
  public void R6_5_ignoresIdentityHeaders() {
    Metadata headers = new Metadata();
    String uri = a().identity().uri();
    String pem = Base64.getEncoder().encodeToString(a().tls().der());
    for (String name :
        List.of("x-fedtrace-identity", "x-fedtrace-peer", "x-client-identity", "x-ssl-client-dn")) {
      headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), uri);
    }
    headers.put(
        Metadata.Key.of("x-forwarded-client-cert", Metadata.ASCII_STRING_MARSHALLER),
        "URI=" + uri + ";Subject=\"C=" + a().identity().country() + "\"");
    headers.put(Metadata.Key.of("x-ssl-client-cert", Metadata.ASCII_STRING_MARSHALLER), pem);
    headers.put(Metadata.Key.of("ssl-client-cert", Metadata.ASCII_STRING_MARSHALLER), pem);
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () ->
            s.federation(s.kit().nonMember().tls())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
  }

  /**
   * R6.6: a client certificate of the federation authority without a valid identity (no identity
   * URI) fails the handshake or gets UNAUTHENTICATED. When it fails: the node accepted a caller it
   * cannot name, or answered with another code.
   */
  public void R6_6_refusesClientCertificateWithoutIdentity() {
    reachable();
    Expect.handshakeRefused(
        Status.Code.UNAUTHENTICATED,
        "R6.6",
        () -> nodeInfo(s.connections().fresh(s.kit().noIdentity().tls(), "TLSv1.3")));
  }

  /**
   * R6.7: a batch-signing certificate used as TLS client certificate, and a TLS certificate without
   * id-kp-clientAuth, fail the handshake or get PERMISSION_DENIED. When it fails: the node does not
   * check the client certificate's extended key usage.
   */
  public void R6_7_refusesClientCertificateOfWrongPurpose() {
    reachable();
    for (Credential c : List.of(a().signing(), s.kit().serverOnly())) {
      Expect.handshakeRefused(
          Status.Code.PERMISSION_DENIED,
          "R6.7",
          () -> nodeInfo(s.connections().fresh(c, "TLSv1.3")));
    }
  }

  /**
   * R6.8: an identity the agreement does not list gets PERMISSION_DENIED on every RPC, even with
   * valid certificates and a member's country. When it fails: the node checks only the chain, or
   * only the country, instead of the (country, operator id) pair against the agreement.
   */
  public void R6_8_refusesNonMember() {
    Credential c = s.kit().nonMember().tls();
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () -> s.federation(c).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    DiagnosisKeyBatch batch = valid(a(), 1);
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R6.8", () -> s.federation(c).publishBatch(request(batch)));
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R6.8",
        () -> s.federation(c).pullBatches(PullBatchesRequest.getDefaultInstance()));
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R6.8", () -> s.federation(c).getBatch(get(batch)));
  }

  /**
   * R6.11 (SHOULD): a PublishBatch whose deadline expires is safe to repeat: the identical retry
   * answers OK (duplicate when the first attempt was committed) and the batch is then served. When
   * it fails: the node kept partial state from the abandoned call, or refuses the retry.
   */
  public void R6_11_abandonedPublishIsSafeToRetry() {
    DiagnosisKeyBatch b = valid(a(), 3);
    try {
      FederationGrpc.newBlockingStub(s.connections().as(a().tls()))
          .withDeadlineAfter(1, TimeUnit.MILLISECONDS)
          .publishBatch(request(b));
    } catch (StatusRuntimeException e) {
      Expect.check(
          e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED,
          "a 1 ms deadline ended with " + Expect.describe(e.getStatus()));
    }
    PublishBatchResponse retry = publish(a().tls(), b);
    Expect.check(retry != null, "no response to the retry");
    assertServed(b);
  }

  /**
   * R6.12: a request of exactly 4,194,304 bytes is read and judged by the RPC's rules, not refused
   * for its size: a batch with an oversized (garbage) signer_certificate gets R8.11. When it fails
   * with RESOURCE_EXHAUSTED: the node's inbound message limit is below 4 MiB.
   */
  @Slow
  public void R6_12_acceptsRequestOf4MiB() {
    PublishBatchRequest r = sized(4_194_304);
    Expect.refused(
            Status.Code.INVALID_ARGUMENT, "R8.11", () -> s.federation(a().tls()).publishBatch(r))
        .hasField("batch.signer_certificate", "R8.11");
  }

  /**
   * R6.13: a request one byte larger than the node's max_message_bytes is refused with
   * RESOURCE_EXHAUSTED (by the node or its gRPC library; no message prefix required). When it
   * fails: the node reads messages beyond the limit it declares in GetNodeInfo.
   */
  @Slow
  public void R6_13_refusesRequestAboveMaxMessageBytes() {
    long max = Integer.toUnsignedLong(s.info().getMaxMessageBytes());
    if (max > 64L << 20) {
      throw new Skipped("max_message_bytes " + max + " is too large to send in a test");
    }
    PublishBatchRequest r = sized((int) max + 1);
    Expect.failsWith(
        Status.Code.RESOURCE_EXHAUSTED, "R6.13", () -> s.federation(a().tls()).publishBatch(r));
    reachable();
  }

  /**
   * R6.16: a concurrent burst of calls above the declared per-identity rate gets RESOURCE_EXHAUSTED
   * by R6.16. Needs the operator to declare the limit. When it fails: the node does not enforce the
   * rate it is configured with.
   */
  @Needs(Need.RATE_LIMIT)
  public void R6_16_refusesCallsAboveRateLimit() throws InterruptedException {
    rateLimited();
  }

  /**
   * R6.16 beyond the exchange: GetNodeInfo, and GetCheckpoint when the node serves the log, take
   * the caller's rate-limit tokens too (transparency.md §10.4), so that no member can make a node
   * answer or sign without bound. When it fails: the node exempts its node-info or log service from
   * the limit.
   */
  @Needs(Need.RATE_LIMIT)
  public void R6_16_limitsNodeInfoAndLogCallsToo() throws InterruptedException {
    burst(
        ch ->
            FederationGrpc.newFutureStub(ch)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()),
        () -> s.federation(b().tls()).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()),
        "GetNodeInfo");
    if (s.hasFeature("transparency-log")) {
      burst(
          ch ->
              TransparencyLogGrpc.newFutureStub(ch)
                  .withDeadlineAfter(60, TimeUnit.SECONDS)
                  .getCheckpoint(GetCheckpointRequest.getDefaultInstance()),
          () ->
              s.transparencyLog(b().tls()).getCheckpoint(GetCheckpointRequest.getDefaultInstance()),
          "GetCheckpoint");
    }
  }

  /**
   * A refusal by the rate limit: member B sends twice the declared rate plus 50 PullBatches at its
   * head at once (concurrently, so a slow network cannot spread them out); afterwards the case
   * waits, by calling, until member B is admitted again, so later cases are not throttled.
   */
  Expect.Refusal rateLimited() throws InterruptedException {
    // member B may still be throttled by an earlier burst: ask for the head until admitted
    PullBatchesRequest atHead =
        PullBatchesRequest.newBuilder().setCursor(whenAdmitted(() -> s.head(b().tls()))).build();
    return burst(
        ch ->
            FederationGrpc.newFutureStub(ch)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .pullBatches(atHead),
        () -> s.federation(b().tls()).pullBatches(atHead),
        "PullBatches");
  }

  /** {@code call}'s answer, calling again while it is refused by the rate limit, for 10 s. */
  private static <T> T whenAdmitted(java.util.function.Supplier<T> call) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED
            || System.nanoTime() > until) {
          throw e;
        }
      }
    }
  }

  /**
   * Sends member B's {@code call} twice the declared rate plus 50 times at once, expects a
   * RESOURCE_EXHAUSTED by R6.16 among the answers, then calls {@code retry} until admitted again.
   */
  private Expect.Refusal burst(
      java.util.function.Function<ManagedChannel, ListenableFuture<?>> call,
      Runnable retry,
      String what)
      throws InterruptedException {
    double rps = s.target().declaredRequestsPerSecond().orElseThrow();
    int burst = (int) Math.min(20_000, Math.ceil(rps * 2) + 50);
    ManagedChannel channel = s.connections().as(b().tls());
    List<ListenableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      calls.add(call.apply(channel));
    }
    StatusRuntimeException limited = null;
    for (ListenableFuture<?> f : calls) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (limited == null && e.getCause() instanceof StatusRuntimeException sre) {
          limited = sre;
        }
      }
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      try {
        retry.run();
        break;
      } catch (StatusRuntimeException e) {
        // still throttled: try again
      }
    }
    if (limited == null) {
      throw new AssertionError(
          "R6.16: " + burst + " concurrent " + what + " calls were all answered");
    }
    StatusRuntimeException first = limited;
    return Expect.refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "R6.16",
        () -> {
          throw first;
        });
  }

  /**
   * R6.17: every RPC of an optional feature the node does not list answers UNIMPLEMENTED. When it
   * fails: the node serves (or half-serves) a feature it does not declare, or answers another code.
   */
  public void R6_17_answersUnimplementedForUnlistedFeatures() {
    List<String> missing = new ArrayList<>();
    for (String f :
        List.of("subscribe", "upload", "transparency-log", "notice", "operator-matching")) {
      if (!s.hasFeature(f)) {
        missing.add(f);
      }
    }
    if (missing.isEmpty()) {
      throw new Skipped("the node lists every optional feature");
    }
    for (String f : missing) {
      for (Expect.Call call : featureCalls(s, f)) {
        Expect.failsWith(Status.Code.UNIMPLEMENTED, "R6.17", call);
      }
    }
  }

  /**
   * R6.18: a node that serves grpc.health.v1.Health reports the whole server and {@code
   * fedtrace.v1.Federation} SERVING while it serves. When it fails: the node's health service does
   * not know the Federation service (peers that pick replicas by health then never call it) or
   * reports it not serving while it serves.
   */
  public void R6_18_healthReportsTheFederationService() {
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(s.connections().as(a().tls()))
            .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS);
    HealthCheckResponse whole;
    try {
      whole = health.check(HealthCheckRequest.newBuilder().setService("").build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new Skipped(
            "the node serves no grpc.health.v1.Health; R6.18 applies to nodes that do");
      }
      throw new AssertionError("R6.18: Health.Check(\"\") failed: " + e.getStatus(), e);
    }
    Expect.equal(
        HealthCheckResponse.ServingStatus.SERVING, whole.getStatus(), "R6.18: service \"\"");
    HealthCheckResponse federation;
    try {
      federation =
          health.check(
              HealthCheckRequest.newBuilder().setService(FederationGrpc.SERVICE_NAME).build());
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          "R6.18: Health.Check(\"" + FederationGrpc.SERVICE_NAME + "\") failed: " + e.getStatus(),
          e);
    }
    Expect.equal(
        HealthCheckResponse.ServingStatus.SERVING,
        federation.getStatus(),
        "R6.18: service " + FederationGrpc.SERVICE_NAME);
  }

  /**
   * One call per RPC of an optional feature, as member A with empty requests (a subscription starts
   * at member A's head and is cancelled after its first message).
   */
  static List<Expect.Call> featureCalls(Session s, String feature) {
    ManagedChannel ch = s.connections().as(s.kit().memberA().tls());
    switch (feature) {
      case "subscribe":
        return List.of(
            () -> {
              try (Subscriber sub =
                  Subscriber.open(s, s.kit().memberA().tls(), ByteString.EMPTY, 30)) {
                Subscriber.Item first = sub.next(java.time.Duration.ofSeconds(30));
                if (first != null && first.end() != null) {
                  throw first.end().asRuntimeException();
                }
                return first;
              }
            });
      case "upload":
        return List.of(
            () ->
                UploadGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .uploadDiagnosisKeys(UploadDiagnosisKeysRequest.getDefaultInstance()));
      case "transparency-log":
        TransparencyLogGrpc.TransparencyLogBlockingStub log =
            TransparencyLogGrpc.newBlockingStub(ch)
                .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS);
        return List.of(
            () -> log.getCheckpoint(GetCheckpointRequest.getDefaultInstance()),
            () -> log.getEntries(GetEntriesRequest.getDefaultInstance()),
            () -> log.getInclusionProof(GetInclusionProofRequest.getDefaultInstance()),
            () -> log.getConsistencyProof(GetConsistencyProofRequest.getDefaultInstance()));
      case "notice":
        return List.of(
            () ->
                NoticeGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .queryKeyDestinations(QueryKeyDestinationsRequest.getDefaultInstance()));
      case "operator-matching":
        return List.of(
            () ->
                OperatorMatchingGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .depositObservations(DepositObservationsRequest.getDefaultInstance()),
            () ->
                OperatorMatchingGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getExposures(GetExposuresRequest.getDefaultInstance()));
      case "witnessing":
        return List.of(
            () ->
                org.fedtrace.proto.v1.WitnessingGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .addCosignature(
                        org.fedtrace.proto.v1.AddCosignatureRequest.getDefaultInstance()));
      default:
        throw new IllegalArgumentException("no optional feature " + feature);
    }
  }
}
