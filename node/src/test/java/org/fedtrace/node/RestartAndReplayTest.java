package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three real nodes over mutual TLS: a follower restarted in the middle of a sync resumes
 * from the cursor it committed with each batch, so it ends with every batch exactly once; a batch
 * altered on the way is refused at the next hop (R8.20) without keeping the original out; a replay
 * is a harmless duplicate, and a new batch reusing a sequence is ALREADY_EXISTS.
 */
class RestartAndReplayTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(31, clock.instant());

  /** Uploads keys at {@code country}'s node and publishes them as one batch. */
  private void publishOne(String country) throws Exception {
    f.upload(country, batches.keys(3, 3));
    f.node(country).publishDue(true);
  }

  private static List<Long> sequences(Node node, String origin) {
    return node.store().read(tx -> tx.batches().ofOrigin(origin)).stream()
        .map(b -> TestBatches.parse(b.payload()).getSequence())
        .toList();
  }

  @Test
  void aFollowerRestartedMidSyncResumesFromItsCursorWithoutLossOrDuplicates() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    f.startNode("FR");
    f.follow("FR", "DE");
    for (int i = 0; i < 3; i++) {
      publishOne("DE");
    }
    f.await(
        WAIT,
        () -> f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).size() == 3,
        "FR holds 3 batches");

    for (int i = 0; i < 3; i++) {
      publishOne("DE");
    }
    f.stopNode("FR"); // wherever its subscription is
    for (int i = 0; i < 2; i++) {
      publishOne("DE"); // the origin keeps publishing while FR is down
    }
    int heldAtStop;
    try (Store stopped = SqliteStore.open(f.dir("FR").resolve("data"))) {
      heldAtStop = stopped.read(tx -> tx.batches().ofOrigin("DE")).size();
      assertTrue(
          stopped
              .read(
                  tx ->
                      tx.cursors()
                          .get(OperatorIdentity.parse("DE/op-de"), PeerCursor.Direction.PULL))
              .isPresent(),
          "FR committed a cursor");
    }
    assertTrue(heldAtStop >= 3 && heldAtStop <= 6, "held at stop: " + heldAtStop);

    Node fr = f.startNode("FR"); // same data folder
    f.follow("FR", "DE");
    f.await(
        WAIT,
        () -> fr.store().read(tx -> tx.batches().ofOrigin("DE")).size() == 8,
        "FR holds all 8 batches");

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), sequences(fr, "DE"));
    assertEquals(8, (long) fr.store().read(tx -> tx.batches().recordCount()), "no batch twice");
    List<StoredBatch> atOrigin = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE"));
    List<StoredBatch> atFollower = fr.store().read(tx -> tx.batches().ofOrigin("DE"));
    for (int i = 0; i < 8; i++) {
      assertArrayEquals(atOrigin.get(i).payload(), atFollower.get(i).payload(), "batch " + i);
    }
    // the counters move just after each commit: read them once FR has stopped, which lets its
    // in-flight admissions finish
    f.stopNode("FR");
    assertEquals(
        0.0,
        fr.metrics().batchCount("DE/op-de", "in", "duplicate", ""),
        "resumed from its cursor: nothing it held was sent again");
    assertEquals(8.0 - heldAtStop, fr.metrics().batchCount("DE/op-de", "in", "accepted", ""));
  }

  @Test
  void aBatchAlteredOnTheWayIsRefusedAndAReplayIsHarmless() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR", "BE");
    for (String c : List.of("DE", "FR", "BE")) {
      f.startNode(c);
    }
    f.follow("FR", "DE"); // FR is the hub between DE and BE
    publishOne("DE");
    f.await(
        WAIT,
        () -> f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1,
        "FR holds DE's batch");
    DiagnosisKeyBatch original =
        TestBatches.parse(
            f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
    Node be = f.node("BE");

    // the hub flips a key byte of the signed batch and pushes it on
    var e =
        refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.20: batch.signature does not verify under the signer's key",
            () ->
                f.federation("BE", "FR")
                    .publishBatch(
                        PublishBatchRequest.newBuilder()
                            .setBatch(Signatures.altered(original))
                            .build()));
    assertEquals(
        List.of("batch.signature | R8.20: does not verify under the signer's key"), violations(e));
    assertEquals(
        0,
        (long) be.store().read(tx -> tx.batches().recordCount()),
        "the forgery left nothing behind");

    // the genuine batch still arrives through the hub, checked again at BE
    f.follow("BE", "FR");
    f.await(
        WAIT, () -> be.store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1, "BE holds it");
    StoredBatch atBe = be.store().read(tx -> tx.batches().ofOrigin("DE")).get(0);
    assertEquals("FR/op-fr", atBe.receivedFrom().toString());
    assertArrayEquals(original.toByteArray(), atBe.payload());

    // replayed later, by the hub or by anyone else: a duplicate, stored once
    PublishBatchRequest replay = PublishBatchRequest.newBuilder().setBatch(original).build();
    assertTrue(f.federation("BE", "FR").publishBatch(replay).getDuplicate());
    assertTrue(f.federation("BE", "DE").publishBatch(replay).getDuplicate());
    assertEquals(1, (long) be.store().read(tx -> tx.batches().recordCount()));

    // a new batch that reuses the sequence, even validly signed by the origin, is refused
    DiagnosisKeyBatch reuse =
        Signatures.sign(
            batches.batch("DE", original.getSequence(), batches.keys(2, 2)),
            f.credentials("DE").signing());
    refused(
        Status.Code.ALREADY_EXISTS,
        "R8.23: sequence 1 of origin DE is already used by another batch",
        () ->
            f.federation("BE", "FR")
                .publishBatch(PublishBatchRequest.newBuilder().setBatch(reuse).build()));
    assertEquals(1, (long) be.store().read(tx -> tx.batches().recordCount()));
    assertFalse(be.store().read(tx -> tx.batches().ofOrigin("DE")).isEmpty());
  }

  @Test
  void r8_32_anOriginSendsTheKeysOfABatchInSortedRecordOrder() throws Exception {
    f = TestFederation.create(dir, clock, "DE");
    f.startNode("DE");
    publishOne("DE");
    DiagnosisKeyBatch own =
        TestBatches.parse(
            f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());

    assertEquals(64, own.getKeysCount(), "3 real keys padded to batching.minKeys");
    List<DiagnosisKey> keys = own.getKeysList();
    for (int i = 1; i < keys.size(); i++) {
      byte[] previous = CanonicalEncoding.keyRecord(keys.get(i - 1));
      byte[] current = CanonicalEncoding.keyRecord(keys.get(i));
      assertTrue(
          Arrays.compareUnsigned(previous, current) < 0,
          "key " + i + " follows its predecessor in record order");
    }
  }
}
