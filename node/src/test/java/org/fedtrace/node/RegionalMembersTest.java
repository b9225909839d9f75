package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.audit.LogClient;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §26.2: two members of one country (US-ca, US-ny) and one of another (DE), real nodes over
 * mutual TLS. Each US member is an origin of its own, numbered on its own, and neither can sign for
 * the other.
 */
class RegionalMembersTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static List<Long> sequences(Node n, String origin) {
    return n.store().read(tx -> tx.batches().ofOrigin(origin)).stream()
        .map(b -> TestBatches.parse(b.payload()).getSequence())
        .sorted()
        .toList();
  }

  @Test
  void twoMembersOfOneCountryExchangeWithAThirdEachNumberedOnItsOwn() throws Exception {
    Clock clock = Clock.systemUTC();
    List<String> members = List.of("US-ca", "US-ny", "DE");
    try (TestFederation f = TestFederation.create(dir, clock, members.toArray(String[]::new))) {
      for (String m : members) {
        f.startNode(m);
      }
      for (String a : members) {
        for (String b : members) {
          if (!a.equals(b)) {
            f.follow(a, b);
          }
        }
      }
      TestBatches keys = new TestBatches(26, clock.instant());
      f.upload("US-ca", keys.keys(3, 3));
      f.node("US-ca").publishDue(true);
      f.upload("US-ny", keys.keys(4, 4));
      f.node("US-ny").publishDue(true);
      f.upload("US-ca", keys.keys(2, 2));
      f.node("US-ca").publishDue(true);
      for (String m : members) {
        f.await(
            WAIT,
            () ->
                sequences(f.node(m), "US-ca").equals(List.of(1L, 2L))
                    && sequences(f.node(m), "US-ny").equals(List.of(1L)),
            m + " holds US-ca 1, 2 and US-ny 1");
      }
      // the member origins are the whole origin; no batch carries the bare country
      assertEquals(List.of(), sequences(f.node("DE"), "US"));
      DiagnosisKeyBatch atDe =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("US-ny")).get(0).payload());
      assertEquals("US-ny", atDe.getOrigin());
      assertEquals(
          com.google.protobuf.ByteString.copyFrom(
              f.credentials("US-ny").signing().certificate().getEncoded()),
          atDe.getSignerCertificate());
      // DE's log names each member's batches by the member's whole origin (R26.16)
      TransparencyLog deLog = f.node("DE").transparencyLog();
      List<String> received =
          deLog.entries(0, deLog.checkpoint().getTreeSize()).stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_BATCH_RECEIVED)
              .map(LogEntry::getOrigin)
              .sorted()
              .toList();
      assertEquals(List.of("US-ca", "US-ca", "US-ny"), received);
      // an auditor verifies US-ca's log and cross-checks it with its peers' logs
      Map<OperatorIdentity, String> names = new HashMap<>();
      members.forEach(m -> names.put(f.credentials(m).identity(), m));
      Auditor auditor = new Auditor(f.pki().validator(), clock, new Random(3));
      AuditReport[] report = new AuditReport[1];
      f.await(
          WAIT,
          () -> {
            report[0] =
                auditor.audit(
                    f.credentials("US-ca").identity(),
                    logClient(f, "US-ca"),
                    AuditState.empty(),
                    64,
                    p -> Optional.of(logClient(f, names.get(p))));
            return report[0].passed();
          },
          "the audit of US-ca passes");
      assertTrue(
          report[0].texts(AuditReport.Kind.VERIFIED).stream()
              .anyMatch(t -> t.contains("(BATCH_CREATED batch ") && t.contains("included")),
          report[0].texts(AuditReport.Kind.VERIFIED).toString());
    }
  }

  @Test
  void aMemberCannotSignForAnotherMemberOfItsCountry() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "US-ca", "US-ny", "DE")) {
      f.startNode("DE");
      TestBatches batches = new TestBatches(27, clock.instant());
      // US-ca's key signs a batch claiming US-ny's origin: same country, other member
      DiagnosisKeyBatch spoofed =
          Signatures.sign(
              batches.batch("US-ny", 1, batches.keys(5, 5)), f.credentials("US-ca").signing());
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  f.federation("DE", "US-ca")
                      .publishBatch(PublishBatchRequest.newBuilder().setBatch(spoofed).build()));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R26.10: origin US-ny is not the origin of signer US/ca", e.getStatus().getDescription());
      // the bare country is no member's origin once the country has two members
      DiagnosisKeyBatch bare =
          Signatures.sign(
              batches.batch("US", 1, batches.keys(5, 5)), f.credentials("US-ca").signing());
      e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  f.federation("DE", "US-ca")
                      .publishBatch(PublishBatchRequest.newBuilder().setBatch(bare).build()));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R8.13: origin US is not the origin of a member of the agreement",
          e.getStatus().getDescription());
      // its own origin is accepted
      DiagnosisKeyBatch own =
          Signatures.sign(
              batches.batch("US-ca", 1, batches.keys(5, 5)), f.credentials("US-ca").signing());
      f.federation("DE", "US-ca")
          .publishBatch(PublishBatchRequest.newBuilder().setBatch(own).build());
      assertEquals(List.of(1L), sequences(f.node("DE"), "US-ca"));
      assertEquals(List.of(), sequences(f.node("DE"), "US-ny"));
    }
  }

  @Test
  void onlyTheMembersOwnBackendUploadsAtItsNode() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "US-ca", "US-ny", "DE")) {
      f.startNode("US-ca");
      TestBatches batches = new TestBatches(28, clock.instant());
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  UploadGrpc.newBlockingStub(f.channel("US-ca", f.credentials("US-ny").tls()))
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .uploadDiagnosisKeys(f.authorizedUpload("US-ny", batches.keys(2, 2))));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R26.12: uploads are accepted only from this member's own backend",
          e.getStatus().getDescription());
      assertEquals(2, f.upload("US-ca", batches.keys(2, 2)).getAcceptedKeys());
    }
  }

  @Test
  void onlyTheMembersOwnBackendAsksForNoticeAndMatching() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f =
        TestFederation.create(dir, clock, "US-ca", "US-ny", "DE")
            .withConfig("matching:\n  mode: operator\n")) {
      f.startNode("US-ca");
      byte[] secret = new byte[32];
      QueryKeyDestinationsRequest query =
          QueryKeyDestinationsRequest.newBuilder()
              .setNoticeSecret(com.google.protobuf.ByteString.copyFrom(secret))
              .build();
      GetExposuresRequest ask =
          GetExposuresRequest.newBuilder()
              .setDeviceKey(com.google.protobuf.ByteString.copyFrom(new byte[16]))
              .build();
      // US-ny is a member of the node's country, but the node's uploads are US-ca's
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class, () -> notice(f, "US-ny").queryKeyDestinations(query));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R26.14: notice queries are answered only to this member's own backend US/ca",
          e.getStatus().getDescription());
      e = assertThrows(StatusRuntimeException.class, () -> matching(f, "US-ny").getExposures(ask));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R26.15: operator matching serves only this member's own backend US/ca",
          e.getStatus().getDescription());
      // another country is refused by the country rules, as before
      e = assertThrows(StatusRuntimeException.class, () -> matching(f, "DE").getExposures(ask));
      assertEquals(
          "R15.1: operator matching serves only this node's own country US",
          e.getStatus().getDescription());
      // the member's own backend passes both: no upload has this secret, no exposure this device
      e =
          assertThrows(
              StatusRuntimeException.class, () -> notice(f, "US-ca").queryKeyDestinations(query));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertEquals(
          "R14.3: the node holds no upload with this secret's commitment",
          e.getStatus().getDescription());
      assertEquals(0, matching(f, "US-ca").getExposures(ask).getExposuresCount());
    }
  }

  private static LogClient logClient(TestFederation f, String member) {
    try {
      return new GrpcLogClient(f.channel(member, f.credentials("DE").tls()), WAIT);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static NoticeGrpc.NoticeBlockingStub notice(TestFederation f, String caller)
      throws java.io.IOException {
    return NoticeGrpc.newBlockingStub(f.channel("US-ca", f.credentials(caller).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static OperatorMatchingGrpc.OperatorMatchingBlockingStub matching(
      TestFederation f, String caller) throws java.io.IOException {
    return OperatorMatchingGrpc.newBlockingStub(f.channel("US-ca", f.credentials(caller).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
