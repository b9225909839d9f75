package org.fedtrace.tlog;

import static org.fedtrace.testing.TestLogs.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SignatureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedtrace.crypto.Digest;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transparency log on its store (SQLite here; {@link PostgresTransparencyLogTest}). */
class TransparencyLogTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;

  /** The members' logs, each in a store of its own (on SQLite; a subclass runs on PostgreSQL). */
  TestLogs newLogs(Path dir) {
    return new TestLogs(dir, "DE", "FR");
  }

  @BeforeEach
  void open() {
    logs = newLogs(tmp);
    de = logs.log("DE");
  }

  @AfterEach
  void close() {
    logs.close();
  }

  private VerifyingKey deKey() throws Exception {
    return VerifyingKey.fromPublicKey(
        logs.credentials("DE").signing().certificate().getPublicKey());
  }

  @Test
  void appendsEntriesWithReceiptsThatProveInclusion() throws Exception {
    List<byte[]> leafHashes = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      LogReceipt r = logs.append(de, Event.BATCH_SENT, batch("b" + i), "DE", "FR/op-fr", i, "");
      assertEquals(i, r.getLeafIndex());
      leafHashes.add(r.getLeafHash().toByteArray());
    }
    Checkpoint cp = de.checkpoint();
    assertEquals(37, cp.getTreeSize());
    assertEquals("fedtrace.v1/DE/op-de", cp.getLogOrigin());
    Checkpoints.verify(cp, deKey());
    assertArrayEquals(ReferenceMerkle.mth(leafHashes), cp.getRootHash().toByteArray());
    for (int i = 0; i < 37; i++) {
      List<byte[]> path = de.inclusionProof(i, 37);
      MerkleVerifier.verifyInclusion(
          leafHashes.get(i), i, 37, path, cp.getRootHash().toByteArray());
      assertEquals(ReferenceMerkle.path(i, leafHashes).size(), path.size());
    }
    List<LogEntry> entries = de.entries(3, 5);
    assertEquals(2, entries.size());
    assertEquals(3, entries.get(0).getLeafIndex());
    assertEquals(EventType.EVENT_TYPE_BATCH_SENT, entries.get(0).getEventType());
    assertEquals("FR/op-fr", entries.get(0).getPeer());
    assertArrayEquals(leafHashes.get(4), LogEntries.leafHash(entries.get(1)));
    assertEquals(TestLogs.START.getEpochSecond(), entries.get(0).getTimeUnixSeconds());
  }

  @Test
  void consistencyProofsConnectEveryEarlierCheckpoint() throws Exception {
    List<Checkpoint> seen = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 100, "");
      seen.add(de.checkpoint());
    }
    Checkpoint last = seen.get(seen.size() - 1);
    for (Checkpoint earlier : seen) {
      MerkleVerifier.verifyConsistency(
          earlier.getTreeSize(),
          last.getTreeSize(),
          earlier.getRootHash().toByteArray(),
          last.getRootHash().toByteArray(),
          earlier.getTreeSize() == last.getTreeSize()
              ? List.of()
              : de.consistencyProof(earlier.getTreeSize(), last.getTreeSize()));
    }
  }

  @Test
  void anUploadIsLoggedWithoutItsKeyCount() {
    logs.record(de, Event.UPLOAD_AUTHORIZED, batch("authorization"), "DE", "", 14, "");
    assertEquals(0, de.entries(0, 1).get(0).getKeyCount());
  }

  @Test
  void refusesAnEventThatDoesNotFitTheTable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> logs.record(de, Event.BATCH_SENT, batch("x"), "DE", "", 1, ""));
    assertEquals("EVENT_TYPE_BATCH_SENT must name a peer", e.getMessage());
    assertEquals(0, de.checkpoint().getTreeSize());
  }

  @Test
  void checkpointIsReusedUntilTheTreeGrowsOrItAges() {
    logs.record(de, Event.BATCH_CREATED, batch("a"), "DE", "", 1, "");
    Checkpoint first = de.checkpoint();
    logs.clock.advance(Duration.ofSeconds(30));
    assertEquals(first, de.checkpoint());
    logs.clock.advance(Duration.ofSeconds(31));
    Checkpoint refreshed = de.checkpoint();
    assertEquals(first.getTreeSize(), refreshed.getTreeSize());
    assertEquals(first.getRootHash(), refreshed.getRootHash());
    assertEquals(first.getTimeUnixMillis() + 61_000, refreshed.getTimeUnixMillis());
    logs.record(de, Event.BATCH_CREATED, batch("b"), "DE", "", 1, "");
    assertEquals(2, de.checkpoint().getTreeSize());
  }

  @Test
  void checkpointTimeNeverGoesBackWhenTheClockDoes() {
    Checkpoint first = de.checkpoint();
    logs.clock.advance(Duration.ofHours(-1));
    logs.record(de, Event.BATCH_CREATED, batch("a"), "DE", "", 1, "");
    assertEquals(first.getTimeUnixMillis(), de.checkpoint().getTimeUnixMillis());
  }

  @Test
  void survivesReopeningAndKeepsItsCheckpoint() throws Exception {
    for (int i = 0; i < 5; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 100, "");
    }
    Checkpoint before = de.checkpoint();
    logs.close();
    TransparencyLog again = logs.log("DE");
    assertEquals(before, again.checkpoint());
    logs.record(again, Event.BATCH_CREATED, batch("c5"), "DE", "", 100, "");
    Checkpoint after = again.checkpoint();
    assertEquals(6, after.getTreeSize());
    MerkleVerifier.verifyConsistency(
        5,
        6,
        before.getRootHash().toByteArray(),
        after.getRootHash().toByteArray(),
        again.consistencyProof(5, 6));
  }

  @Test
  void refusesToSignATreeSmallerThanItsCheckpoint() throws Exception {
    for (int i = 0; i < 5; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 100, "");
    }
    de.checkpoint();
    sql("DELETE FROM log_entry WHERE leaf_index >= 3");
    LogIntegrityException e = assertThrows(LogIntegrityException.class, de::checkpoint);
    assertEquals(
        "the log holds 3 entries but its latest checkpoint covers 5; refusing to sign a smaller"
            + " tree",
        e.getMessage());
    logs.close();
    assertThrows(LogIntegrityException.class, () -> logs.log("DE"));
  }

  @Test
  void refusesToSignWhenStoredHashesNoLongerMakeItsCheckpoint() throws Exception {
    for (int i = 0; i < 4; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 100, "");
    }
    de.checkpoint();
    sql("UPDATE log_node SET hash = ? WHERE level = 2 AND idx = 0", new byte[32]);
    logs.record(de, Event.BATCH_CREATED, batch("c4"), "DE", "", 100, "");
    LogIntegrityException e = assertThrows(LogIntegrityException.class, de::checkpoint);
    assertEquals(
        "the stored tree does not reproduce the root of the checkpoint of size 4", e.getMessage());
  }

  @Test
  void aStoredLeafThatIsNoEntryIsAnIntegrityFailure() throws Exception {
    logs.record(de, Event.BATCH_CREATED, batch("c0"), "DE", "", 100, "");
    sql("UPDATE log_entry SET leaf = ? WHERE leaf_index = 0", new byte[] {0});
    LogIntegrityException e = assertThrows(LogIntegrityException.class, () -> de.entries(0, 1));
    assertEquals("stored leaf 0 is not a log entry: not a log-entry encoding", e.getMessage());
  }

  @Test
  void aMissingEntryBelowTheCheckpointIsAnIntegrityFailure() throws Exception {
    for (int i = 0; i < 5; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 100, "");
    }
    de.checkpoint();
    sql("DELETE FROM log_entry WHERE leaf_index = 2");
    LogIntegrityException e = assertThrows(LogIntegrityException.class, () -> de.entries(0, 5));
    assertEquals("the log lacks entries of [0, 5) below its checkpoint", e.getMessage());
  }

  @Test
  void entriesAreCappedPerCall() {
    LogDatabase db = logs.database("FR");
    TransparencyLog fr = logs.log("FR", db);
    int n = TransparencyLog.MAX_ENTRIES + 5;
    db.write(
        s -> {
          for (int i = 0; i < n; i++) {
            fr.append(s, TestLogs.event(Event.BATCH_CREATED, batch("c" + i), "FR", "", 1, ""));
          }
          return null;
        });
    assertEquals(TransparencyLog.MAX_ENTRIES, fr.entries(0, n).size());
    List<LogEntry> rest = fr.entries(TransparencyLog.MAX_ENTRIES, n + 4);
    assertEquals(5, rest.size());
    assertEquals(n - 1, rest.get(4).getLeafIndex());
  }

  @Test
  void proofsBeyondTheStoredTreeAreRefused() {
    logs.record(de, Event.BATCH_CREATED, batch("a"), "DE", "", 1, "");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> de.inclusionProof(0, 2));
    assertEquals("the log has 1 entries, not 2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> de.consistencyProof(1, 3));
  }

  @Test
  void findsTheReceiptOfAStoredBatchAndItsDeliveries() {
    logs.record(de, Event.BATCH_CREATED, batch("mine"), "DE", "", 100, "");
    logs.record(de, Event.BATCH_SENT, batch("mine"), "DE", "FR/op-fr", 100, "");
    logs.record(de, Event.BATCH_RECEIVED, batch("theirs"), "FR", "FR/op-fr", 7, "");
    logs.record(de, Event.BATCH_SENT, batch("mine"), "DE", "IT/op-it", 100, "");
    logs.record(de, Event.BATCH_PURGED, batch("mine"), "DE", "", 100, "");
    LogReceipt mine = de.receiptOfStored(Digest.of(batch("mine"))).orElseThrow();
    assertEquals(0, mine.getLeafIndex());
    assertEquals(2, de.receiptOfStored(Digest.of(batch("theirs"))).orElseThrow().getLeafIndex());
    assertEquals(Optional.empty(), de.receiptOfStored(Digest.of(batch("unknown"))));
    List<LogEntry> sent =
        de.deliveries(List.of(Digest.of(batch("mine")), Digest.of(batch("theirs"))), 5);
    assertEquals(List.of(1L, 3L), sent.stream().map(LogEntry::getLeafIndex).toList());
    assertEquals(
        List.of(1L),
        de.deliveries(List.of(Digest.of(batch("mine"))), 3).stream()
            .map(LogEntry::getLeafIndex)
            .toList());
  }

  @Test
  void appendsInTheCallersTransactionAndRollsBackWithIt() {
    LogDatabase db = logs.database("FR");
    TransparencyLog fr = logs.log("FR", db);
    RuntimeException failure = new IllegalStateException("the batch insert failed");
    RuntimeException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                db.write(
                    s -> {
                      fr.append(
                          s,
                          TestLogs.event(
                              Event.BATCH_RECEIVED, batch("x"), "DE", "DE/op-de", 3, ""));
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals(0, fr.checkpoint().getTreeSize());
    LogReceipt r =
        db.write(
            s ->
                fr.append(
                    s, TestLogs.event(Event.BATCH_RECEIVED, batch("x"), "DE", "DE/op-de", 3, "")));
    assertEquals(0, r.getLeafIndex());
  }

  @Test
  void aCheckpointSignedByTheLogVerifiesOnlyUnderItsKey() throws Exception {
    Checkpoint cp = de.checkpoint();
    assertEquals(0, cp.getTreeSize());
    assertArrayEquals(MerkleHashes.emptyRoot(), cp.getRootHash().toByteArray());
    Checkpoints.verify(cp, deKey());
    VerifyingKey frKey =
        VerifyingKey.fromPublicKey(logs.credentials("FR").signing().certificate().getPublicKey());
    assertThrows(SignatureException.class, () -> Checkpoints.verify(cp, frKey));
    assertArrayEquals(
        logs.credentials("DE").signing().certificate().getEncoded(),
        cp.getSignerCertificate().toByteArray());
    assertNotEquals(0, cp.getTimeUnixMillis());
    assertTrue(Checkpoints.signedNote(cp, deKey()).startsWith("fedtrace.v1/DE/op-de\n0\n"));
  }

  private void sql(String statement, Object... args) throws SQLException {
    try (Connection c = logs.connect("DE");
        PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }
}
