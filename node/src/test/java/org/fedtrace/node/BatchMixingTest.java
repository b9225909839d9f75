package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching policy of spec R21.14: a batch published by age mixes at least {@code
 * batching.minUploads} uploads, and no key waits longer than {@code batching.maxHoldSeconds}.
 */
class BatchMixingTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private TestFederation f;

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  /** A DE node with maxAgeSeconds 1, minUploads 3 and the default maxHoldSeconds (a day). */
  private Node start() throws Exception {
    f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork().withMinUploads(3);
    return f.startNode("DE");
  }

  private List<DiagnosisKey> upload(int seed) throws Exception {
    List<DiagnosisKey> keys = new TestBatches(seed, clock.instant()).keys(2, 2);
    f.upload("DE", keys);
    return keys;
  }

  @Test
  void keysPastMaxAgeWaitForTheThirdUploadThenGoOutTogether() throws Exception {
    Node node = start();
    List<DiagnosisKey> all = new ArrayList<>(upload(1));
    clock.advance(Duration.ofHours(1)); // far past maxAgeSeconds (1)
    all.addAll(upload(2));
    clock.advance(Duration.ofHours(1));
    assertEquals(0, node.publishDue(false), "two uploads are too few to hide either uploader");
    assertEquals(4, node.store().read(tx -> tx.uploads().pending()).size());

    all.addAll(upload(3));
    assertEquals(1, node.publishDue(false));
    assertEquals(0, node.store().read(tx -> tx.uploads().pending()).size());
    DiagnosisKeyBatch own =
        TestBatches.parse(node.store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
    assertTrue(own.getKeysList().containsAll(all), "one batch with the three uploads");
  }

  @Test
  void aLoneUploadGoesOutWhenItsOldestKeyHasWaitedMaxHold() throws Exception {
    Node node = start();
    upload(1);
    clock.advance(Duration.ofSeconds(86_399));
    assertEquals(0, node.publishDue(false));
    clock.advance(Duration.ofSeconds(1)); // maxHoldSeconds defaults to 86400
    assertEquals(1, node.publishDue(false));
    assertEquals(
        64,
        TestBatches.parse(node.store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload())
            .getKeysCount());
  }

  @Test
  void threeUploadsWithinMaxAgeStillWaitForMaxAge() throws Exception {
    Node node = start();
    upload(1);
    upload(2);
    upload(3);
    assertEquals(0, node.publishDue(false), "the oldest key has not waited maxAgeSeconds yet");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, node.publishDue(false));
  }

  /**
   * A node whose clock was set back (within R1.1's 300 s, by NTP or an operator) after it accepted
   * uploads: found by the chaos harness (docs/chaos.md), where such a node held every pending
   * upload until its clock caught up with their acceptance, minutes later.
   */
  @Test
  void keysAcceptedBeforeTheClockWasSetBackDoNotWaitForItToCatchUp() throws Exception {
    Node node = start();
    upload(1);
    upload(2);
    upload(3);
    clock.advance(Duration.ofSeconds(-290));
    assertEquals(
        1, node.publishDue(false), "three uploads that have waited maxAgeSeconds at least");
    assertEquals(0, node.store().read(tx -> tx.uploads().pending()).size());
  }

  @Test
  void aLoneUploadAcceptedBeforeTheClockWasSetBackStillWaitsForMinUploads() throws Exception {
    Node node = start();
    upload(1);
    clock.advance(Duration.ofSeconds(-290));
    assertEquals(0, node.publishDue(false), "one upload is too few to hide its uploader");
  }
}
