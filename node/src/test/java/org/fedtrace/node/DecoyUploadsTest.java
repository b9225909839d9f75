package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoy uploads (spec R23.1–R23.5): a batch whose keys come from fewer than {@code
 * batching.decoyUploads} uploads leaves topped up with decoy uploads shaped like real ones.
 */
class DecoyUploadsTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T10:00:00Z"));
  private TestFederation f;

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private Node start(int decoys) throws Exception {
    f =
        TestFederation.create(dir, clock, "DE")
            .withoutBackgroundWork()
            .withMinUploads(3)
            .withDecoyUploads(decoys);
    return f.startNode("DE");
  }

  private List<DiagnosisKey> upload(int seed, int keys) throws Exception {
    List<DiagnosisKey> k = new TestBatches(seed, clock.instant()).keys(keys, keys);
    f.upload("DE", k);
    return k;
  }

  private static DiagnosisKeyBatch onlyBatch(Node node) {
    List<org.fedtrace.store.StoredBatch> own = node.store().read(tx -> tx.batches().ofOrigin("DE"));
    assertEquals(1, own.size());
    return TestBatches.parse(own.get(0).payload());
  }

  /** A key's metadata, its key data left out, moved {@code days} days. */
  private static DiagnosisKey shape(DiagnosisKey k, int days) {
    return k.toBuilder()
        .clearKeyData()
        .setRollingStartIntervalNumber(k.getRollingStartIntervalNumber() + 144 * days)
        .setRollingPeriod(144)
        .build();
  }

  @Test
  void aLoneUploadLeavesAtMaxHoldWithTwoDecoyUploadsShapedLikeIt() throws Exception {
    Node node = start(3);
    List<DiagnosisKey> real = upload(1, 7);
    clock.advance(Duration.ofDays(1)); // maxHoldSeconds: it goes out alone
    assertEquals(1, node.publishDue(false));
    assertEquals(2, node.metrics().decoyUploadsTotal(), "two decoys make three uploads");

    DiagnosisKeyBatch b = onlyBatch(node);
    assertTrue(b.getKeysList().containsAll(real));
    Set<ByteString> data = new HashSet<>();
    b.getKeysList().forEach(k -> data.add(k.getKeyData()));
    assertEquals(b.getKeysCount(), data.size(), "every decoy and padding key is a key of its own");
    // the only shape the node knows is this upload's, moved to a time within the day it waited
    // (0 or 1 day later): each of its chains, real or decoy, has every key's metadata; a batch
    // with 2 decoys and padding to 64 holds 21 keys of decoy uploads and real keys, and at least
    // three copies of every real key's metadata on one of the two days
    for (DiagnosisKey k : real) {
      long sameOrNext =
          b.getKeysList().stream()
              .filter(c -> shape(c, 0).equals(shape(k, 0)) || shape(c, 0).equals(shape(k, 1)))
              .count();
      assertTrue(sameOrNext >= 3, sameOrNext + " keys shaped like one real key");
    }
  }

  @Test
  void threeUploadsNeedNoDecoy() throws Exception {
    Node node = start(3);
    upload(1, 2);
    upload(2, 2);
    upload(3, 2);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, node.publishDue(false));
    assertEquals(0, node.metrics().decoyUploadsTotal());
  }

  @Test
  void decoyUploadsOneAddsNone() throws Exception {
    Node node = start(1);
    upload(1, 7);
    clock.advance(Duration.ofDays(1));
    assertEquals(1, node.publishDue(false));
    assertEquals(0, node.metrics().decoyUploadsTotal());
    assertEquals(64, onlyBatch(node).getKeysCount(), "7 real keys and 57 padding keys");
  }

  @Test
  void decoysAreNotLoggedAsUploads() throws Exception {
    Node node = start(3);
    upload(1, 7);
    clock.advance(Duration.ofDays(1));
    node.publishDue(false);
    long size = node.transparencyLog().checkpoint().getTreeSize();
    List<LogEntry> logged = node.transparencyLog().entries(0, size);
    assertEquals(
        1,
        logged.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED)
            .count(),
        "one UPLOAD_AUTHORIZED entry: the real upload's");
    LogEntry created =
        logged.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_BATCH_CREATED)
            .findFirst()
            .orElseThrow();
    assertEquals(
        onlyBatch(node).getKeysCount(),
        created.getKeyCount(),
        "BATCH_CREATED counts every key, decoys and padding included");
  }
}
