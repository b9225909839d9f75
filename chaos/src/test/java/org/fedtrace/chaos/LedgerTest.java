package org.fedtrace.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.junit.jupiter.api.Test;

/** The harness's checks find what they should: a lost upload or batch, a duplicate, a gap. */
class LedgerTest {
  private final Random random = new Random(7);

  private DiagnosisKeyBatch batch(String origin, long sequence, List<DiagnosisKey> keys) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return DiagnosisKeyBatch.newBuilder()
        .setBatchId(ByteString.copyFrom(id))
        .setOrigin(origin)
        .setSequence(sequence)
        .addAllKeys(keys)
        .build();
  }

  @Test
  void aNodeHoldingEverythingOnceMissesNothing() {
    Ledger ledger = new Ledger();
    List<DiagnosisKey> keys = Cluster.keys(random, 3);
    ledger.uploaded("DE", keys);
    DiagnosisKeyBatch b1 = batch("DE", 1, keys);
    DiagnosisKeyBatch b2 = batch("FR", 1, Cluster.keys(random, 2));
    ledger.served(List.of(b1, b2));
    Holdings held = new Holdings();
    held.add(List.of(b1, b2));

    assertEquals(new Ledger.Missing(0, 0), ledger.missing(held, ledger.mark()));
    assertEquals(0, held.duplicateBatches() + held.duplicateKeys() + held.sequenceGaps());
  }

  @Test
  void anUploadWhoseKeysAreNotAllThereIsLostAndABatchNotThereIsMissing() {
    Ledger ledger = new Ledger();
    List<DiagnosisKey> keys = Cluster.keys(random, 3);
    ledger.uploaded("DE", keys);
    DiagnosisKeyBatch partial = batch("DE", 1, keys.subList(0, 2));
    DiagnosisKeyBatch elsewhere = batch("FR", 1, Cluster.keys(random, 2));
    ledger.served(List.of(partial, elsewhere));
    Holdings held = new Holdings();
    held.add(List.of(partial));

    assertEquals(new Ledger.Missing(1, 1), ledger.missing(held, ledger.mark()));
  }

  @Test
  void whatWasAcknowledgedAfterTheMarkIsNotOwedYet() {
    Ledger ledger = new Ledger();
    Ledger.Mark mark = ledger.mark();
    ledger.uploaded("DE", Cluster.keys(random, 1));
    ledger.served(List.of(batch("DE", 1, Cluster.keys(random, 1))));

    assertEquals(new Ledger.Missing(0, 0), ledger.missing(new Holdings(), mark));
  }

  @Test
  void aBatchOrKeyServedTwiceAndAGapAreCounted() {
    List<DiagnosisKey> keys = Cluster.keys(random, 2);
    DiagnosisKeyBatch b1 = batch("DE", 1, keys);
    DiagnosisKeyBatch sameKeys = batch("DE", 2, keys);
    DiagnosisKeyBatch sameSequence = batch("DE", 2, Cluster.keys(random, 1));
    DiagnosisKeyBatch afterGap = batch("DE", 5, Cluster.keys(random, 1));
    Holdings held = new Holdings();
    held.add(List.of(b1, b1, sameKeys, sameSequence, afterGap));

    assertEquals(2, held.duplicateBatches(), "b1 twice, and sequence 2 on two batches");
    assertEquals(2, held.duplicateKeys(), "the two keys of b1 again in sameKeys");
    assertEquals(2, held.sequenceGaps(), "3 and 4 are missing below 5");
  }

  @Test
  void gapsCountTheMissingNumbersFromOne() {
    assertEquals(0, Holdings.gaps(new TreeSet<>()));
    assertEquals(0, Holdings.gaps(new TreeSet<>(List.of(1L, 2L, 3L))));
    assertEquals(1, Holdings.gaps(new TreeSet<>(List.of(2L, 3L))));
  }

  @Test
  void aSubscriberThatSkippedABatchDiffersFromAFullRead() {
    DiagnosisKeyBatch b1 = batch("DE", 1, Cluster.keys(random, 1));
    DiagnosisKeyBatch b2 = batch("DE", 2, Cluster.keys(random, 1));
    Holdings full = new Holdings();
    full.add(List.of(b1, b2));
    Holdings follower = new Holdings();
    follower.add(List.of(b1));

    assertEquals(1, full.differences(follower));
  }
}
