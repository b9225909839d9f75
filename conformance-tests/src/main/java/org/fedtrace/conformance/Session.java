package org.fedtrace.conformance;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Connections;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.UploadGrpc;

/**
 * What the cases of one run share: the target, connections, the node's self-description and the
 * test batch maker. Every stub it hands out carries a deadline (R6.10, a client's duty).
 */
public final class Session implements AutoCloseable {
  /** Deadline of unary calls, as §6.2 suggests for the slowest unary RPC. */
  public static final long DEADLINE_SECONDS = 60;

  private final Target target;
  private final Connections connections;
  private final Map<String, ByteString> heads = new ConcurrentHashMap<>();
  private final Map<String, Object> shared = new ConcurrentHashMap<>();
  private volatile GetNodeInfoResponse info;
  private volatile Batches batches;

  /** A session against {@code target}; connects lazily. */
  public Session(Target target) {
    this.target = target;
    this.connections = new Connections(target.host(), target.port(), target.kit());
  }

  /** The node under test. */
  public Target target() {
    return target;
  }

  /** The test kit. */
  public Kit kit() {
    return target.kit();
  }

  /** The suite's connections to the node. */
  public Connections connections() {
    return connections;
  }

  /** The node's GetNodeInfo answer, fetched once as member A. */
  public GetNodeInfoResponse info() {
    if (info == null) {
      info =
          Expect.succeeds(
              "GetNodeInfo as a member",
              () ->
                  federation(kit().memberA().tls())
                      .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    }
    return info;
  }

  /** Whether the node lists {@code feature} in GetNodeInfo.features. */
  public boolean hasFeature(String feature) {
    return info().getFeaturesList().contains(feature);
  }

  /**
   * Whether the node runs the kit's past-sunset agreement: GetNodeInfo's {@code agreement_sha256}
   * is the SHA-256 of the kit's {@code past-sunset/agreement.json}.
   */
  public boolean runsPastSunsetAgreement() {
    return kit()
        .pastSunsetAgreement()
        .map(a -> info().getAgreementSha256().equals(ByteString.copyFrom(Canonical.sha256(a))))
        .orElse(false);
  }

  /**
   * Whether the node runs the kit's regional agreement (spec/conformance.md §6.4): its agreement
   * hash is that of the kit's {@code regional/agreement.json}.
   */
  public boolean runsRegionalAgreement() {
    return kit()
        .regionalAgreement()
        .map(a -> info().getAgreementSha256().equals(ByteString.copyFrom(Canonical.sha256(a))))
        .orElse(false);
  }

  /** Keys and batches valid under the node's agreement. */
  public Batches batches() {
    if (batches == null) {
      batches = new Batches(Clock.systemUTC(), Math.max(1, info().getRetentionDays()));
    }
    return batches;
  }

  /** A Federation stub calling as {@code caller}, with a fresh deadline. */
  public FederationGrpc.FederationBlockingStub federation(Credential caller) {
    return FederationGrpc.newBlockingStub(connections.as(caller))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** An asynchronous Federation stub calling as {@code caller}, deadline {@code seconds}. */
  public FederationGrpc.FederationStub federationAsync(Credential caller, long seconds) {
    return FederationGrpc.newStub(connections.as(caller))
        .withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }

  /** An Upload stub calling as {@code caller}, with a fresh deadline. */
  public UploadGrpc.UploadBlockingStub upload(Credential caller) {
    return UploadGrpc.newBlockingStub(connections.as(caller))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** A TransparencyLog stub calling as {@code caller}, with a fresh deadline. */
  public TransparencyLogGrpc.TransparencyLogBlockingStub transparencyLog(Credential caller) {
    return TransparencyLogGrpc.newBlockingStub(connections.as(caller))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** A Notice stub calling as {@code caller}, with a fresh deadline. */
  public NoticeGrpc.NoticeBlockingStub notice(Credential caller) {
    return NoticeGrpc.newBlockingStub(connections.as(caller))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** An OperatorMatching stub calling as {@code caller}, with a fresh deadline. */
  public OperatorMatchingGrpc.OperatorMatchingBlockingStub operatorMatching(Credential caller) {
    return OperatorMatchingGrpc.newBlockingStub(connections.as(caller))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * The cursor after everything the node serves {@code caller} now: pulls from the last head known
   * (the beginning at first) until {@code caught_up}.
   */
  public ByteString head(Credential caller) {
    ByteString cursor = heads.getOrDefault(caller.name(), ByteString.EMPTY);
    for (int page = 0; page < 100_000; page++) {
      PullBatchesResponse r;
      try {
        r = federation(caller).pullBatches(request(cursor, 1000));
      } catch (StatusRuntimeException e) {
        // a page the node made larger than 4 MiB (R9.4 is checked on its own): take two at a time
        r = pull(caller, cursor, 2);
      }
      cursor = r.getNextCursor();
      if (r.getCaughtUp()) {
        heads.put(caller.name(), cursor);
        return cursor;
      }
    }
    throw new AssertionError("PullBatches never reported caught_up");
  }

  /** One PullBatches call that must succeed. */
  public PullBatchesResponse pull(Credential caller, ByteString cursor, int max) {
    return Expect.succeeds(
        "PullBatches", () -> federation(caller).pullBatches(request(cursor, max)));
  }

  private static PullBatchesRequest request(ByteString cursor, int max) {
    return PullBatchesRequest.newBuilder().setCursor(cursor).setMaxBatches(max).build();
  }

  /**
   * A value cases of a run share (an observation that is costly to repeat), computed once per key.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, java.util.function.Supplier<T> compute) {
    Object v = shared.get(key);
    if (v == null) {
      v = compute.get();
      shared.put(key, v);
    }
    return (T) v;
  }

  /** The value shared under {@code key}, if one was computed. */
  public java.util.Optional<Object> recall(String key) {
    return java.util.Optional.ofNullable(shared.get(key));
  }

  @Override
  public void close() {
    connections.close();
  }
}
