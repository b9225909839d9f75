package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.exchange.SequenceRecovery;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R21.24: a node started anew on purpose on an empty store (R21.23) gets its numbering back from
 * its peers before it signs again. Numbering from 1 again, its every new batch would be refused by
 * followers that saw those numbers before (R8.23).
 */
class StartAnewTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(47, clock.instant());
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  private long highestOf(String node, String origin) {
    return f.node(node).store().read(tx -> tx.batches().highestSequence(origin));
  }

  private static long sequence(StoredBatch b) {
    try {
      return org.fedtrace.proto.v1.DiagnosisKeyBatch.parseFrom(b.payload()).getSequence();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publishOwn(String country) throws Exception {
    f.upload(country, batches.keys(2, 2));
    f.node(country).publishDue(true);
  }

  @Test
  void aNodeStartedAnewNumbersOnFromWhereItsPeersSawItStop() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    f.startNode("FR");
    f.follow("FR", "DE");
    publishOwn("DE");
    publishOwn("DE");
    f.await(WAIT, () -> highestOf("FR", "DE") == 2, "FR holds DE's batches 1 and 2");
    final int frPort = f.node("FR").port();

    // DE loses its store; its operator starts it anew, first with its peer unreachable
    f.stopNode("DE");
    try (Stream<Path> files = Files.walk(f.dir("DE").resolve("data"))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    f.withCountryConfig("DE", "peers:\n  - identity: FR/op-fr\n    address: 127.0.0.1:1\n");
    Node.startAnew(NodeConfig.load(f.configure("DE")));
    f.startNode("DE");
    publishOwn("DE");
    assertEquals(0, f.node("DE").publishDue(true), "R21.24: no batch signed while recovering");
    assertEquals(0, highestOf("DE", "DE"));
    f.stopNode("DE");
    Path state = f.dir("DE").resolve("data").resolve(SequenceRecovery.FILE);
    assertTrue(Files.exists(state), "a restart during the recovery recovers again");

    // with the peer reachable it pulls its own batches back, then numbers on from 3
    f.withCountryConfig("DE", "peers:\n  - identity: FR/op-fr\n    address: 127.0.0.1:" + frPort);
    f.startNode("DE");
    f.await(WAIT, () -> !Files.exists(state), "DE recovered its numbering from FR");
    f.node("DE").publishDue(true);
    f.await(WAIT, () -> highestOf("DE", "DE") == 3, "the upload that waited goes out as 3");
    assertEquals(
        java.util.List.of(1L, 2L, 3L),
        f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).stream()
            .map(StartAnewTest::sequence)
            .sorted()
            .toList(),
        "DE holds its batches 1 and 2 back from FR, then its new one");
    f.follow("FR", "DE");
    f.await(WAIT, () -> highestOf("FR", "DE") == 3, "FR stores DE's batch 3 (no R8.23)");
  }
}
