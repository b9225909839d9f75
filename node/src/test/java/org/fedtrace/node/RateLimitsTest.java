package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.retryDelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.fedtrace.node.rpc.RateLimits;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R6.16: per-caller token buckets of requests and pushed keys, refilled on the node's clock, each
 * holding one second's worth; a refusal is RESOURCE_EXHAUSTED with a google.rpc.RetryInfo (R20.7).
 */
class RateLimitsTest {
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "op-fr");
  private static final OperatorIdentity BE = new OperatorIdentity("BE", "op-be");

  @TempDir Path dir;

  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private final MutableClock clock = MutableClock.atSystemTime();

  private static RuleViolation refusedLocally(RateLimits limits, OperatorIdentity who, long keys) {
    RuleViolation v = assertThrows(RuleViolation.class, () -> limits.admit(who, keys));
    assertEquals(Rule.RATE_LIMITED, v.rule());
    return v;
  }

  @Test
  void aBurstOfOneSecondThenTheRate() {
    RateLimits limits = new RateLimits(4, 1000, clock);
    for (int i = 0; i < 4; i++) {
      limits.admit(FR, 0);
    }

    RuleViolation v = refusedLocally(limits, FR, 0);
    assertEquals("R6.16: FR/op-fr exceeds 4 requests per second; retry later", v.getMessage());
    assertEquals(Optional.of(Duration.ofMillis(250)), v.retryDelay());

    limits.admit(BE, 0); // another caller has buckets of its own
    clock.advance(Duration.ofMillis(249));
    refusedLocally(limits, FR, 0);
    clock.advance(Duration.ofMillis(1));
    limits.admit(FR, 0);
    refusedLocally(limits, FR, 0);
    clock.advance(Duration.ofSeconds(60)); // refills only up to the burst
    for (int i = 0; i < 4; i++) {
      limits.admit(FR, 0);
    }
    refusedLocally(limits, FR, 0);
  }

  @Test
  void pushedKeysHaveABucketOfTheirOwn() {
    RateLimits limits = new RateLimits(100, 100, clock);
    limits.admit(FR, 60);

    RuleViolation v = refusedLocally(limits, FR, 60);
    assertEquals("R6.16: FR/op-fr exceeds 100 pushed keys per second; retry later", v.getMessage());
    assertEquals(Optional.of(Duration.ofMillis(200)), v.retryDelay());
    limits.admit(FR, 40);
  }

  @Test
  void aPushLargerThanTheBurstPassesWhenTheBucketIsFullAndLeavesADebt() {
    RateLimits limits = new RateLimits(100, 100, clock);
    limits.admit(FR, 150);

    assertEquals(Optional.of(Duration.ofMillis(600)), refusedLocally(limits, FR, 10).retryDelay());
    clock.advance(Duration.ofMillis(600));
    limits.admit(FR, 10);
  }

  @Test
  void fractionalRates() {
    RateLimits limits = new RateLimits(0.5, 2.5, clock);
    limits.admit(FR, 0);

    RuleViolation v = refusedLocally(limits, FR, 0);
    assertEquals("R6.16: FR/op-fr exceeds 0.5 requests per second; retry later", v.getMessage());
    assertEquals(Optional.of(Duration.ofSeconds(2)), v.retryDelay());
  }

  @Test
  void r6_16_theNodeRefusesACallerOverItsLimitWithRetryInfo() throws Exception {
    f =
        TestFederation.create(dir, clock, "DE", "FR", "BE")
            .withConfig("limits:\n  requestsPerSecondPerPeer: 3\n  keysPerSecondPerPeer: 100\n");
    f.startNode("DE");
    FederationGrpc.FederationBlockingStub fr = f.federation("DE", "FR");
    GetBatchRequest unknown =
        GetBatchRequest.newBuilder()
            .setOrigin("FR")
            .setBatchId(ByteString.copyFrom(new byte[16]))
            .build();
    for (int i = 0; i < 3; i++) {
      refused(Status.Code.NOT_FOUND, () -> fr.getBatch(unknown));
    }

    var e =
        refused(
            Status.Code.RESOURCE_EXHAUSTED,
            "R6.16: FR/op-fr exceeds 3 requests per second; retry later",
            () -> fr.pullBatches(PullBatchesRequest.getDefaultInstance()));
    assertEquals(Optional.of(Duration.ofNanos(333_333_334)), retryDelay(e));
    // GetNodeInfo takes a token too (R6.16 covers every service), and every caller has its own
    // buckets
    refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "R6.16: FR/op-fr exceeds 3 requests per second; retry later",
        () -> fr.getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    f.federation("DE", "BE").pullBatches(PullBatchesRequest.getDefaultInstance());

    clock.advance(Duration.ofMillis(334));
    fr.pullBatches(PullBatchesRequest.getDefaultInstance());

    // keys: BE pushes two batches of 64 keys within the same instant
    TestBatches batches = new TestBatches(5, clock.instant());
    FederationGrpc.FederationBlockingStub be = f.federation("DE", "BE");
    DiagnosisKeyBatch first =
        Signatures.sign(batches.batch("BE", 1, batches.keys(64, 5)), f.credentials("BE").signing());
    DiagnosisKeyBatch second =
        Signatures.sign(batches.batch("BE", 2, batches.keys(64, 5)), f.credentials("BE").signing());
    be.publishBatch(PublishBatchRequest.newBuilder().setBatch(first).build());
    var k =
        refused(
            Status.Code.RESOURCE_EXHAUSTED,
            "R6.16: BE/op-be exceeds 100 pushed keys per second; retry later",
            () -> be.publishBatch(PublishBatchRequest.newBuilder().setBatch(second).build()));
    assertEquals(Optional.of(Duration.ofMillis(280)), retryDelay(k));
    assertEquals(
        1,
        f.node("DE").store().read(tx -> tx.batches().ofOrigin("BE")).size(),
        "the refused batch is not held");
    assertEquals(
        1.0, f.node("DE").metrics().batchCount("BE/op-be", "in", "accepted", ""), "counted once");
  }
}
