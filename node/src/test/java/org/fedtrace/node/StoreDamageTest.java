package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store is noticed, never passed on: a stored batch whose bytes no longer match its
 * stored hash is left out of what the node serves (so followers get the batches after it), and a
 * store file that was emptied or deleted keeps the node from starting as a new one.
 */
class StoreDamageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(81, clock.instant());
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  private Path db() {
    return f.dir("DE").resolve("data").resolve("fedtrace.db");
  }

  /** Uploads at DE and has it sign a batch now (or finds its background batching did). */
  private void publishOne() throws Exception {
    int before = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).size();
    f.upload("DE", batches.keys(2, 2));
    f.node("DE").publishDue(true);
    assertEquals(before + 1, f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).size());
  }

  @Test
  void aDamagedBatchIsLeftOutAndTheBatchesAfterItStillArrive() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    publishOne();
    f.stopNode("DE");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        PreparedStatement s = c.prepareStatement("UPDATE batch SET payload = ?")) {
      s.setBytes(1, new byte[] {0x0a, 0x7f, 0x01}); // does not parse
      assertEquals(1, s.executeUpdate());
    }
    f.startNode("DE");
    publishOne();
    f.startNode("FR");
    f.follow("FR", "DE");
    f.await(
        WAIT,
        () -> f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1,
        "FR holds DE's intact batch, served after the damaged one");
    assertEquals(
        List.of(2L),
        f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).stream()
            .map(b -> TestBatches.parse(b.payload()).getSequence())
            .toList());
    assertTrue(
        f.node("DE").metrics().batchCount("FR/op-fr", "out", "damaged", "") >= 1,
        "the damage is counted");
  }

  @Test
  void aDeletedOrEmptiedStoreFileKeepsTheNodeFromStartingAsANewOne() throws Exception {
    f = TestFederation.create(dir, clock, "DE");
    f.startNode("DE");
    publishOne();
    f.stopNode("DE");
    Files.write(db(), new byte[0]); // emptied
    String refusal = "dataDir: the store is not the one this node ran with";
    NodeStartException emptied = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
    assertTrue(emptied.getMessage().startsWith(refusal), emptied.getMessage());
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(db() + suffix)); // deleted
    }
    NodeStartException deleted = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
    assertTrue(deleted.getMessage().startsWith(refusal), deleted.getMessage());
    Files.delete(f.dir("DE").resolve("data").resolve("store-epoch")); // anew, on purpose
    f.startNode("DE");
  }
}
