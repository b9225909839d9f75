package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * Spec §21 and R7.8: the node's states, sunset and retention over time. Except for the first case,
 * these need a node whose clock and lifecycle the runner controls (the in-process runner starts a
 * fresh one per case); a remote run skips them.
 */
public final class LifecycleCases extends CaseBase {
  /** How long a case waits for a stream to end after the event that ends it. */
  private static final Duration PROMPT = Duration.ofSeconds(10);

  public LifecycleCases(Session s) {
    super(s);
  }

  /** The first instant past the sunset: 00:00 UTC of the day after sunset_date. */
  private static Instant sunsetInstant(GetNodeInfoResponse info) {
    return LocalDate.parse(info.getSunsetDate())
        .plusDays(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /** Moves {@code node}'s clock an hour past the sunset instant it reports. */
  private static void passSunset(ControlledNodes.ControlledNode node, Session cs) {
    Instant sunset = sunsetInstant(cs.info());
    node.advanceClock(Duration.between(Instant.now(), sunset).plusHours(1));
  }

  private ControlledNodes.ControlledNode controlled() throws Exception {
    return s.target().controlledNodes().orElseThrow().start();
  }

  /**
   * R21.6: before the sunset date GetNodeInfo reports, exchange works: today (UTC) is not after
   * sunset_date and a PullBatches succeeds. (Remote runs cannot move the node's clock; the case
   * below checks the refusal.) When it fails: the node refuses exchange before its sunset.
   */
  public void R21_6_exchangesBeforeSunset() {
    LocalDate sunset = LocalDate.parse(s.info().getSunsetDate());
    Expect.check(
        !LocalDate.now(ZoneOffset.UTC).isAfter(sunset),
        "the node's agreement is past its sunset " + sunset + "; the suite needs an active one");
    s.pull(b().tls(), ByteString.EMPTY, 1);
  }

  /**
   * R21.6: past the sunset every exchange RPC gets FAILED_PRECONDITION by R21.6: PublishBatch,
   * PullBatches, GetBatch, and SubscribeBatches and UploadDiagnosisKeys when offered. When it
   * fails: the node keeps exchanging after the agreement's end.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R21_6_refusesExchangePastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LifecycleCases c = new LifecycleCases(cs);
      DiagnosisKeyBatch stored = c.valid(c.a(), 1);
      c.publish(c.a().tls(), stored);
      passSunset(node, cs);
      c.assertExchangeRefused(get(stored));
    }
  }

  /**
   * R21.6 against a node on the kit's past-sunset agreement (the second pass of a remote run,
   * §6.3): GetNodeInfo answers (R7.8) with a sunset date before today, and every exchange RPC gets
   * FAILED_PRECONDITION by R21.6: PublishBatch of a valid batch, PullBatches, GetBatch, and
   * SubscribeBatches and UploadDiagnosisKeys when offered. When it fails: the node keeps exchanging
   * under an agreement that has ended.
   */
  @Needs(Need.PAST_SUNSET)
  public void R21_6_refusesExchangeUnderPastSunsetAgreement() throws Exception {
    LocalDate sunset = LocalDate.parse(s.info().getSunsetDate());
    Expect.check(
        sunset.isBefore(LocalDate.now(ZoneOffset.UTC)),
        "R7.4: the node runs the past-sunset agreement but reports sunset_date " + sunset);
    assertExchangeRefused(get(valid(a(), 1)));
  }

  /** Asserts that every exchange RPC is refused by R21.6 (past the sunset). */
  private void assertExchangeRefused(GetBatchRequest someBatch) throws InterruptedException {
    Status.Code fp = Status.Code.FAILED_PRECONDITION;
    Expect.refused(fp, "R21.6", () -> s.federation(a().tls()).publishBatch(request(valid(a(), 1))));
    Expect.refused(
        fp,
        "R21.6",
        () -> s.federation(b().tls()).pullBatches(PullBatchesRequest.getDefaultInstance()));
    Expect.refused(fp, "R21.6", () -> s.federation(b().tls()).getBatch(someBatch));
    if (s.hasFeature("subscribe")) {
      try (Subscriber sub = Subscriber.open(s, b().tls(), ByteString.EMPTY, 60)) {
        Subscriber.Item end = sub.next(PROMPT);
        Expect.check(
            end != null && end.end() != null, "R21.6: a subscription past sunset did not end");
        Expect.refused(
            fp,
            "R21.6",
            () -> {
              throw end.failure();
            });
      }
    }
    if (s.hasFeature("upload") && s.kit().backend().isPresent()) {
      UploadCases u = new UploadCases(s);
      List<DiagnosisKey> keys = s.batches().keys(1);
      UploadDiagnosisKeysRequest r =
          UploadDiagnosisKeysRequest.newBuilder()
              .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
              .addAllKeys(keys)
              .setAuthorization(u.authorization(keys, x -> x))
              .build();
      Expect.refused(
          fp, "R21.6", () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
    }
  }

  /**
   * R21.7: an open subscription ends with FAILED_PRECONDITION (message starting "R21.7: ") when the
   * sunset instant passes. When it fails: streams outlive the agreement, or end with another code
   * or rule id.
   */
  @Needs({Need.CONTROLLED_NODE, Need.SUBSCRIBE})
  public void R21_7_endsStreamsAtSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LifecycleCases c = new LifecycleCases(cs);
      try (Subscriber sub = Subscriber.open(cs, c.b().tls(), cs.head(c.b().tls()), 60)) {
        Subscriber.Item first = sub.next(PROMPT);
        Expect.check(first != null && first.end() == null, "R10.4: no first message");
        passSunset(node, cs);
        Subscriber.Item end = next(sub);
        Expect.refused(
            Status.Code.FAILED_PRECONDITION,
            "R21.7",
            () -> {
              throw end.failure();
            });
      }
    }
  }

  /** The end of {@code sub}, skipping messages, within {@link #PROMPT}. */
  private static Subscriber.Item next(Subscriber sub) throws InterruptedException {
    long until = System.nanoTime() + PROMPT.toNanos();
    while (true) {
      Subscriber.Item i = sub.next(Duration.ofNanos(until - System.nanoTime()));
      if (i == null) {
        throw new AssertionError("the stream did not end within " + PROMPT.toSeconds() + " s");
      }
      if (i.end() != null) {
        return i;
      }
    }
  }

  /**
   * R7.8: past the sunset GetNodeInfo answers as before it, field for field. When it fails: the
   * node refuses or changes GetNodeInfo after the sunset, so peers cannot see why exchange stopped.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R7_8_answersNodeInfoPastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      GetNodeInfoResponse before = cs.info();
      passSunset(node, cs);
      GetNodeInfoResponse after =
          Expect.succeeds(
              "R7.8 GetNodeInfo past sunset",
              () ->
                  cs.federation(cs.kit().memberA().tls())
                      .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
      Expect.equal(before, after, "R7.8 GetNodeInfo past sunset");
    }
  }

  /**
   * R21.2: once the node starts draining, a new call gets UNAVAILABLE (from the node or its gRPC
   * library). When it fails: a shutting-down node still takes new work.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R21_2_refusesNewCallsWhileDraining() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      cs.info();
      node.beginDraining();
      Expect.failsWith(
          Status.Code.UNAVAILABLE,
          "R21.2",
          () ->
              cs.federation(cs.kit().memberB().tls())
                  .pullBatches(PullBatchesRequest.getDefaultInstance()));
    }
  }

  /**
   * R21.3: an open subscription ends with UNAVAILABLE (message starting "R21.3: ") when the node
   * starts draining. When it fails: streams hang until the process dies, or end with another code.
   */
  @Needs({Need.CONTROLLED_NODE, Need.SUBSCRIBE})
  public void R21_3_endsStreamsWhenDraining() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      try (Subscriber sub =
          Subscriber.open(cs, cs.kit().memberB().tls(), cs.head(cs.kit().memberB().tls()), 60)) {
        Subscriber.Item first = sub.next(PROMPT);
        Expect.check(first != null && first.end() == null, "R10.4: no first message");
        node.beginDraining();
        Subscriber.Item end = next(sub);
        Expect.refused(
            Status.Code.UNAVAILABLE,
            "R21.3",
            () -> {
              throw end.failure();
            });
      }
    }
  }

  /** A batch of member A whose keys leave the retention window an hour after now. */
  private DiagnosisKeyBatch expiringSoon() {
    long window = batches().nowInterval() - (long) s.info().getRetentionDays() * Batches.DAY;
    DiagnosisKey k =
        batches().key(1).toBuilder()
            .setRollingStartIntervalNumber((int) (window + 6 - Batches.DAY))
            .build();
    return sign(unsigned(a(), List.of(k, batches().key(1))), a());
  }

  /**
   * R21.12: a batch with a key leaving retention in an hour is served; two hours later (the node's
   * clock moved, its hourly purge due) it is no longer served: GetBatch answers NOT_FOUND and
   * PullBatches leaves it out. When it fails: the node serves keys past retention.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R21_12_stopsServingKeysPastRetention() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LifecycleCases c = new LifecycleCases(cs);
      ByteString before = cs.head(c.b().tls());
      DiagnosisKeyBatch b = c.expiringSoon();
      c.publish(c.a().tls(), b);
      c.assertServed(b);
      node.advanceClock(Duration.ofHours(2));
      c.assertNotStored(b);
      Expect.check(
          !c.pulledIds(c.b().tls(), before).contains(b.getBatchId()),
          "R21.12: PullBatches serves a batch with a key past retention");
    }
  }

  /**
   * R21.13: after a batch was purged for retention, its seen-batch record still refuses a new batch
   * reusing its sequence number (ALREADY_EXISTS, R8.23). When it fails: the node forgets seen
   * batches together with their keys, re-opening replays.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R21_13_remembersSeenBatchesAfterPurge() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LifecycleCases c = new LifecycleCases(cs);
      DiagnosisKeyBatch b = c.expiringSoon();
      c.publish(c.a().tls(), b);
      node.advanceClock(Duration.ofHours(2));
      c.assertNotStored(b);
      DiagnosisKeyBatch replay = sign(c.unsigned(c.a(), 1).setSequence(b.getSequence()), c.a());
      Expect.refused(
          Status.Code.ALREADY_EXISTS,
          "R8.23",
          () -> cs.federation(c.a().tls()).publishBatch(request(replay)));
    }
  }
}
