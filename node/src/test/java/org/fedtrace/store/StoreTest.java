package org.fedtrace.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path dir;

  private static NewBatch batch(String origin, int id, long sequence, int hash, String from) {
    byte[] batchId = new byte[16];
    batchId[0] = (byte) id;
    byte[] digest = new byte[32];
    digest[0] = (byte) hash;
    return new NewBatch(
        origin, batchId, sequence, 1000, digest, 3, from, 1000, 500, new byte[] {(byte) id});
  }

  @Test
  void storesAndRecognizesAnIdenticalRetryAsDuplicate() {
    try (Store s = Store.open(dir)) {
      assertEquals(Store.Insert.STORED, s.insertBatch(batch("DE", 1, 1, 7, "DE/a"), null));
      assertEquals(Store.Insert.DUPLICATE, s.insertBatch(batch("DE", 1, 1, 7, "FR/b"), null));
      assertEquals(1, s.batchRecordCount());
    }
  }

  @Test
  void refusesSameIdWithOtherContent() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, null), null);
      RuleViolation v =
          assertThrows(RuleViolation.class, () -> s.insertBatch(batch("DE", 1, 1, 8, null), null));
      assertEquals(Rule.BATCH_ID_CONFLICT, v.rule());
      assertEquals(1, s.batchRecordCount());
    }
  }

  @Test
  void refusesASequenceNumberUsedByAnotherBatch() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 5, 7, null), null);
      RuleViolation v =
          assertThrows(RuleViolation.class, () -> s.insertBatch(batch("DE", 2, 5, 9, null), null));
      assertEquals(Rule.SEQUENCE_CONFLICT, v.rule());
      assertEquals(
          "R8.23: sequence 5 of origin DE is already used by another batch", v.getMessage());
      // the same sequence number of another origin is fine
      assertEquals(Store.Insert.STORED, s.insertBatch(batch("FR", 2, 5, 9, null), null));
    }
  }

  @Test
  void cursorCommitsWithTheBatchAndSurvivesReopening() {
    long epoch;
    try (Store s = Store.open(dir)) {
      epoch = s.epoch();
      s.insertBatch(batch("FR", 1, 1, 1, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {9}));
    }
    try (Store s = Store.open(dir)) {
      assertEquals(epoch, s.epoch());
      assertArrayEquals(new byte[] {9}, s.cursor("FR/x").orElseThrow());
      assertEquals(1, s.lastPosition());
    }
  }

  @Test
  void aFailedInsertDoesNotMoveTheCursor() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("FR", 1, 1, 1, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {1}));
      assertThrows(
          RuleViolation.class,
          () ->
              s.insertBatch(
                  batch("FR", 1, 1, 2, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {2})));
      assertArrayEquals(new byte[] {1}, s.cursor("FR/x").orElseThrow());
    }
  }

  @Test
  void pagesLeaveOutTheCallersOriginAndWhatItSentUs() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 1, null), null);
      s.insertBatch(batch("FR", 2, 1, 2, "FR/x"), null);
      s.insertBatch(batch("IT", 3, 1, 3, "FR/x"), null);
      s.insertBatch(batch("IT", 4, 2, 4, "IT/y"), null);
      Store.Page page = s.batchesAfter(0, 10, "FR", "FR/x", false);
      assertEquals(List.of(1L, 4L), page.batches().stream().map(StoredBatch::position).toList());
      assertEquals(4, page.lastPosition());
      Store.Page own = s.batchesAfter(0, 10, "FR", "FR/x", true);
      assertEquals(List.of(1L), own.batches().stream().map(StoredBatch::position).toList());
      Store.Page first = s.batchesAfter(0, 1, "FR", "FR/x", false);
      assertEquals(1, first.batches().size());
      assertEquals(1, first.lastPosition());
    }
  }

  @Test
  void uploadAuthorizationIsSingleUse() {
    try (Store s = Store.open(dir)) {
      byte[] id = new byte[16];
      s.acceptUpload(id, 2000, 1000, List.of(new byte[] {1}, new byte[] {2}), null, Store.NOTHING);
      RuleViolation v =
          assertThrows(
              RuleViolation.class,
              () -> s.acceptUpload(id, 2000, 1001, List.of(new byte[] {3}), null, Store.NOTHING));
      assertEquals(Rule.AUTHORIZATION_USED, v.rule());
      assertEquals(2, s.pendingKeys().size());
    }
  }

  @Test
  void ownBatchConsumesPendingKeysAtomically() {
    try (Store s = Store.open(dir)) {
      s.acceptUpload(
          new byte[16], 2000, 1000, List.of(new byte[] {1}, new byte[] {2}), null, Store.NOTHING);
      long[] ids = s.pendingKeys().stream().mapToLong(Store.PendingKey::id).toArray();
      s.insertOwnBatch(batch("DE", 1, 1, 1, null), ids, Store.NOTHING);
      assertTrue(s.pendingKeys().isEmpty());
      assertEquals(1, s.highestSequence("DE"));
    }
  }

  @Test
  void purgedBatchIsNoLongerServedButStillRecognized() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, null), null);
      assertEquals(1, s.batchesWithKeysEndingBefore(501).size());
      assertEquals(0, s.batchesWithKeysEndingBefore(500).size());
      s.replacePayload(1, null, 0, Long.MAX_VALUE, Store.NOTHING);
      assertTrue(s.batchesAfter(0, 10, "", "", false).batches().isEmpty());
      assertEquals(Store.Insert.DUPLICATE, s.insertBatch(batch("DE", 1, 1, 7, null), null));
      assertEquals(1, s.forgetBefore(1001));
      assertEquals(0, s.batchRecordCount());
    }
  }

  @Test
  void eraseForeignKeepsOwnBatches() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 1, null), null);
      s.insertBatch(batch("FR", 2, 1, 2, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {1}));
      assertArrayEquals(new long[] {1, 3}, s.eraseForeign("DE", (c, origin, sha, keys) -> {}));
      assertEquals(1, s.batchRecordCount());
      assertTrue(s.cursor("FR/x").isEmpty());
    }
  }

  @Test
  void refusesToRollTheAgreementBack() {
    try (Store s = Store.open(dir)) {
      s.recordAgreement(2, new byte[] {2});
      s.recordAgreement(2, new byte[] {2});
      s.recordAgreement(3, new byte[] {3});
      StoreException older =
          assertThrows(StoreException.class, () -> s.recordAgreement(2, new byte[] {2}));
      assertEquals(
          "agreement version 2 is older than version 3 this node ran before; refusing to roll"
              + " back",
          older.getMessage());
      StoreException changed =
          assertThrows(StoreException.class, () -> s.recordAgreement(3, new byte[] {9}));
      assertEquals(
          "agreement version 3 differs from the version 3 this node ran before",
          changed.getMessage());
    }
  }

  @Test
  void batchesQueuedTogetherCommitInOneGroupEachWithItsOwnOutcome() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, "DE/a"), null);
      Store.PendingInsert fresh = s.enqueue(batch("DE", 2, 2, 8, "DE/a"), null);
      Store.PendingInsert conflict = s.enqueue(batch("DE", 1, 3, 9, "DE/a"), null);
      Store.PendingInsert withCursor =
          s.enqueue(batch("FR", 3, 1, 1, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {4}));
      Store.PendingInsert replay =
          s.enqueue(batch("FR", 4, 1, 2, "FR/x"), new Store.PeerCursor("FR/x", new byte[] {5}));
      Store.PendingInsert retry = s.enqueue(batch("DE", 1, 1, 7, "FR/x"), null);

      // the first caller to wait commits the whole group; the others find their outcome
      assertEquals(Store.Insert.STORED, s.awaitCommit(fresh));
      assertEquals(
          Rule.BATCH_ID_CONFLICT,
          assertThrows(RuleViolation.class, () -> s.awaitCommit(conflict)).rule());
      assertEquals(Store.Insert.STORED, s.awaitCommit(withCursor));
      assertEquals(
          Rule.SEQUENCE_CONFLICT,
          assertThrows(RuleViolation.class, () -> s.awaitCommit(replay)).rule());
      assertEquals(Store.Insert.DUPLICATE, s.awaitCommit(retry));

      // a refused batch of the group left neither a record nor its cursor behind
      assertEquals(3, s.batchRecordCount());
      assertArrayEquals(new byte[] {4}, s.cursor("FR/x").orElseThrow());
      assertEquals(List.of(1L, 2L), s.batchesOf("DE").stream().map(StoredBatch::position).toList());
    }
  }

  @Test
  void aGroupLargerThanOneTransactionIsCommittedInSeveral() {
    try (Store s = Store.open(dir)) {
      List<Store.PendingInsert> queued = new java.util.ArrayList<>();
      for (int i = 0; i < 150; i++) {
        queued.add(s.enqueue(batch("DE", i, i + 1, i, null), null));
      }
      assertEquals(Store.Insert.STORED, s.awaitCommit(queued.get(149)));
      for (Store.PendingInsert p : queued) {
        assertEquals(Store.Insert.STORED, s.awaitCommit(p));
      }
      assertEquals(150, s.batchRecordCount());
    }
  }

  @Test
  void storedBatchesCarryTheirContentHashAndKeyCount() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, "DE/a"), null);
      StoredBatch b =
          s.batch("DE", batch("DE", 1, 1, 7, null).batchId(), Long.MIN_VALUE).orElseThrow();
      assertEquals(7, b.contentSha256()[0]);
      assertEquals(3, b.keyCount());
      assertArrayEquals(new byte[] {1}, b.payload());
    }
  }

  @Test
  void aNewStoreUsesLargePagesInWalModeWithFullSync() {
    try (Store s = Store.open(dir)) {
      assertEquals(List.of(16_384L, "wal", 2L), s.write(c -> pragmas(c)));
    }
  }

  private static List<Object> pragmas(java.sql.Connection c) throws java.sql.SQLException {
    List<Object> out = new java.util.ArrayList<>();
    try (java.sql.Statement st = c.createStatement()) {
      for (String p : List.of("page_size", "journal_mode", "synchronous")) {
        try (java.sql.ResultSet rs = st.executeQuery("PRAGMA " + p)) {
          rs.next();
          Object v = rs.getObject(1);
          out.add(v instanceof Integer ? Long.valueOf((Integer) v) : v);
        }
      }
    }
    return out;
  }

  @Test
  void aReadOnlyStoreSeesWhatTheWriterCommitsAndRefusesWrites() {
    try (Store writer = Store.open(dir);
        Store reader = Store.openReadOnly(dir)) {
      assertEquals(0, reader.highestSequence("DE"));
      writer.insertBatch(batch("DE", 1, 1, 7, "DE/a"), null);

      assertEquals(1, reader.highestSequence("DE"));
      assertEquals(writer.epoch(), reader.epoch());
      StoreException e =
          assertThrows(
              StoreException.class, () -> reader.insertBatch(batch("DE", 2, 2, 8, null), null));
      assertEquals(
          "the store " + dir.resolve("fedtrace.db") + " is open read-only", e.getMessage());
    }
  }

  @Test
  void aReadOnlyStoreMustExist() {
    StoreException e = assertThrows(StoreException.class, () -> Store.openReadOnly(dir));
    assertEquals("there is no store at " + dir.resolve("fedtrace.db"), e.getMessage());
  }

  @Test
  void aVersion1StoreGainsTheTablesItLacksWhenOpened() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, null), null);
      s.inWriteTransaction(
          c -> {
            try (java.sql.Statement st = c.createStatement()) {
              for (String table :
                  List.of(
                      "operator_observation",
                      "operator_exposure",
                      "operator_device",
                      "operator_match_cursor",
                      "operator_revoked",
                      // a version 1 store from before the agreement record and the log
                      "agreement_seen",
                      "log_entry",
                      "log_node",
                      "log_checkpoint",
                      "notice_batch")) {
                st.execute("DROP TABLE " + table);
              }
              st.executeUpdate("UPDATE meta SET schema_version = 1");
            }
            return null;
          });
    }
    try (Store s = Store.open(dir)) {
      assertEquals(1, s.batchRecordCount());
      assertEquals(0L, (long) s.inReadTransaction(c -> new OperatorTables(c).observationCount()));
      assertEquals(0L, (long) s.inReadTransaction(c -> new OperatorTables(c).matchCursor()));
      for (String table : List.of("agreement_seen", "log_entry", "notice_batch")) {
        assertEquals(
            1,
            (int)
                s.inReadTransaction(
                    c -> {
                      try (java.sql.ResultSet rs =
                          c.createStatement()
                              .executeQuery(
                                  "SELECT count(*) FROM sqlite_master WHERE name = '"
                                      + table
                                      + "'")) {
                        return rs.getInt(1);
                      }
                    }),
            table);
      }
    }
    try (Store s = Store.openReadOnly(dir)) {
      assertEquals(1, s.batchRecordCount());
    }
  }

  @Test
  void operatorMatchingFollowsBatchesThatStillHoldKeysServableOrNot() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, null), null);
      s.insertBatch(batch("DE", 2, 2, 8, null), null);
      s.insertBatch(batch("DE", 3, 3, 9, null), null);
      s.replacePayload(1, new byte[] {9}, 1, 600, Store.NOTHING); // purged in part
      s.replacePayload(2, null, 0, 0, Store.NOTHING); // every key gone
      Store.Page page = s.batchesWithKeysAfter(0, 10);
      assertEquals(List.of(1L, 3L), page.batches().stream().map(StoredBatch::position).toList());
      assertEquals(3, page.lastPosition());
      assertEquals(List.of(), s.batchesWithKeysAfter(3, 10).batches());
      assertEquals(3, s.batchesWithKeysAfter(3, 10).lastPosition());
    }
  }

  @Test
  void aBatchWithAKeyPastRetentionIsNotServedEvenBeforeThePurge() {
    try (Store s = Store.open(dir)) {
      s.insertBatch(batch("DE", 1, 1, 7, null), null); // oldest key ends at interval 500
      assertEquals(1, s.batchesAfter(0, 10, "", "", false, 500).batches().size());
      Store.Page expired = s.batchesAfter(0, 10, "", "", false, 501);
      assertTrue(expired.batches().isEmpty());
      assertEquals(1, expired.lastPosition());
      byte[] id = batch("DE", 1, 1, 7, null).batchId();
      assertTrue(s.batch("DE", id, 500).isPresent());
      assertTrue(s.batch("DE", id, 501).isEmpty());
    }
  }
}
