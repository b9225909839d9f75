package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R8.32: a node sends its own batches with the keys in the order of their sorted records. */
class OwnBatchOrderTest {
  @TempDir Path dir;

  @Test
  void ownBatchKeysAreSortedSoThatPaddingKeysDoNotComeLast() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork();
    try {
      f.startNode("DE");
      List<DiagnosisKey> uploaded = new TestBatches(11, clock.instant()).keys(14, 13);
      f.upload("DE", uploaded);
      assertEquals(1, f.node("DE").publishDue(true));
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      assertEquals(64, own.getKeysCount(), "padded to batching.minKeys");
      assertTrue(own.getKeysList().containsAll(uploaded));
      for (int i = 1; i < own.getKeysCount(); i++) {
        byte[] previous = CanonicalEncoding.keyRecord(own.getKeys(i - 1));
        byte[] next = CanonicalEncoding.keyRecord(own.getKeys(i));
        assertTrue(Arrays.compareUnsigned(previous, next) < 0, "key " + i + " out of order");
      }
    } finally {
      f.close();
    }
  }

  @Test
  void everyRealKeyLendsItsMetadataToAsManyPaddingKeysAsAnyOther() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork();
    try {
      f.startNode("DE");
      // one key for each of 13 days: 13 distinct metadata, 51 padding keys to reach 64
      List<DiagnosisKey> uploaded = new TestBatches(12, clock.instant()).keys(13, 13);
      f.upload("DE", uploaded);
      assertEquals(1, f.node("DE").publishDue(true));
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      java.util.Map<DiagnosisKey, Integer> lookalikes = new java.util.HashMap<>();
      for (DiagnosisKey k : own.getKeysList()) {
        lookalikes.merge(k.toBuilder().clearKeyData().build(), 1, Integer::sum);
      }
      assertEquals(13, lookalikes.size(), "padding copies the metadata of real keys only");
      // 51 = 13 x 3 + 12: each real key and its 3 or 4 copies
      assertEquals(
          java.util.Set.of(4, 5),
          java.util.Set.copyOf(lookalikes.values()),
          lookalikes.values().toString());
    } finally {
      f.close();
    }
  }
}
