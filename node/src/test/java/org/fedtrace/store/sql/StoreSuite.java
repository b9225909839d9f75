package org.fedtrace.store.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.BatchRecord;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Page;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.StoredBatch;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run on every engine: {@link SqliteStoreTest} and {@link PostgresStoreTest}
 * extend it, each opening its engine's store; each engine's own behaviour is tested beside.
 */
abstract class StoreSuite {
  static final OperatorIdentity FR_X = OperatorIdentity.parse("FR/x");
  static final OperatorIdentity NOBODY = OperatorIdentity.parse("SE/z");

  /**
   * Opens the store under test; every call in one test opens the same database, so that a test can
   * close it and open it again.
   */
  abstract SqlStore open();

  /**
   * A batch of three keys created at 1000 whose oldest key ends at interval 500; payload is one
   * byte {@code id}, content hash {@code hash, 0, ...}.
   */
  static NewBatch batch(String origin, int id, long sequence, int hash, String from) {
    byte[] batchId = new byte[16];
    batchId[0] = (byte) id;
    byte[] digest = new byte[32];
    digest[0] = (byte) hash;
    DiagnosisKeyBatch b =
        DiagnosisKeyBatch.newBuilder()
            .setOrigin(origin)
            .setBatchId(ByteString.copyFrom(batchId))
            .setSequence(sequence)
            .setCreatedUnixSeconds(1000)
            .addKeys(key(356))
            .addKeys(key(400))
            .addKeys(key(600))
            .build();
    return new NewBatch(
        b,
        new byte[] {(byte) id},
        Digest.of(digest),
        from == null ? null : OperatorIdentity.parse(from),
        1000);
  }

  static DiagnosisKey key(int start) {
    return DiagnosisKey.newBuilder()
        .setRollingStartIntervalNumber(start)
        .setRollingPeriod(144)
        .build();
  }

  static Batches.Insert insert(Store s, NewBatch b, PeerCursor cursor) {
    return s.insertBatch(b, cursor, tx -> {});
  }

  static PeerCursor cursor(int value) {
    return PeerCursor.pulled(FR_X, new byte[] {(byte) value});
  }

  static Optional<byte[]> cursorOf(Store s) {
    return s.read(tx -> tx.cursors().get(FR_X, PeerCursor.Direction.PULL));
  }

  static long records(Store s) {
    return s.read(tx -> tx.batches().recordCount());
  }

  static List<Long> positions(Page page) {
    return page.batches().stream().map(StoredBatch::position).toList();
  }

  /** Whom to serve: every origin of these tests, whenever created. */
  static Recipient recipient(OperatorIdentity to, boolean fwd, long window) {
    return new Recipient(
        to, fwd, window, Long.MIN_VALUE, java.util.Set.of("DE", "FR", "IT"), false);
  }

  static Page servable(Store s, int max, OperatorIdentity to, boolean fwd, long window) {
    return s.read(tx -> tx.batches().servableAfter(0, max, recipient(to, fwd, window)));
  }

  static void accept(Store s, byte[] id, long acceptedAt, byte[]... keys) {
    s.write(
        tx -> {
          tx.uploads().accept(new AcceptedUpload(id, 2000, acceptedAt, List.of(keys), null));
          return null;
        });
  }

  @Test
  void storesAndRecognizesAnIdenticalRetryAsDuplicate() {
    try (Store s = open()) {
      assertEquals(Batches.Insert.STORED, insert(s, batch("DE", 1, 1, 7, "DE/a"), null));
      assertEquals(Batches.Insert.DUPLICATE, insert(s, batch("DE", 1, 1, 7, "FR/b"), null));
      assertEquals(1, records(s));
    }
  }

  @Test
  void refusesSameIdWithOtherContent() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 7, null), null);
      RuleViolation v =
          assertThrows(RuleViolation.class, () -> insert(s, batch("DE", 1, 1, 8, null), null));
      assertEquals(Rule.BATCH_ID_CONFLICT, v.rule());
      assertEquals(1, records(s));
    }
  }

  @Test
  void refusesASequenceNumberUsedByAnotherBatch() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 5, 7, null), null);
      RuleViolation v =
          assertThrows(RuleViolation.class, () -> insert(s, batch("DE", 2, 5, 9, null), null));
      assertEquals(Rule.SEQUENCE_CONFLICT, v.rule());
      assertEquals(
          "R8.23: sequence 5 of origin DE is already used by another batch", v.getMessage());
      // the same sequence number of another origin is fine
      assertEquals(Batches.Insert.STORED, insert(s, batch("FR", 2, 5, 9, null), null));
    }
  }

  @Test
  void cursorCommitsWithTheBatchAndSurvivesReopening() {
    long epoch;
    try (Store s = open()) {
      epoch = s.epoch();
      insert(s, batch("FR", 1, 1, 1, "FR/x"), cursor(9));
    }
    try (Store s = open()) {
      assertEquals(epoch, s.epoch());
      assertArrayEquals(new byte[] {9}, cursorOf(s).orElseThrow());
      assertEquals(1, (long) s.read(tx -> tx.batches().lastPosition()));
    }
  }

  @Test
  void aFailedInsertDoesNotMoveTheCursor() {
    try (Store s = open()) {
      insert(s, batch("FR", 1, 1, 1, "FR/x"), cursor(1));
      assertThrows(RuleViolation.class, () -> insert(s, batch("FR", 1, 1, 2, "FR/x"), cursor(2)));
      assertArrayEquals(new byte[] {1}, cursorOf(s).orElseThrow());
    }
  }

  @Test
  void pullAndPushCursorsOfOnePeerAreKeptApart() {
    try (Store s = open()) {
      s.write(
          tx -> {
            tx.cursors().put(cursor(3));
            tx.cursors().put(PeerCursor.pushed(FR_X, 42));
            return null;
          });
      assertArrayEquals(new byte[] {3}, cursorOf(s).orElseThrow());
      byte[] pushed = s.read(tx -> tx.cursors().get(FR_X, PeerCursor.Direction.PUSH)).orElseThrow();
      assertEquals(42, PeerCursor.position(pushed));
    }
  }

  @Test
  void pagesLeaveOutTheCallersOriginAndWhatItSentUs() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 1, null), null);
      insert(s, batch("FR", 2, 1, 2, "FR/x"), null);
      insert(s, batch("IT", 3, 1, 3, "FR/x"), null);
      insert(s, batch("IT", 4, 2, 4, "IT/y"), null);
      Page page = servable(s, 10, FR_X, true, Long.MIN_VALUE);
      assertEquals(List.of(1L, 4L), positions(page));
      assertEquals(4, page.lastPosition());
      Page own = servable(s, 10, FR_X, false, Long.MIN_VALUE);
      assertEquals(List.of(1L), positions(own));
      Page first = servable(s, 1, FR_X, true, Long.MIN_VALUE);
      assertEquals(1, first.batches().size());
      assertEquals(1, first.lastPosition());
    }
  }

  @Test
  void aPageIsFullEvenWhenManyBatchesBetweenAreNotForTheRecipient() {
    try (Store s = open()) {
      for (int i = 1; i <= 20; i++) {
        insert(s, batch("FR", i, i, i, "FR/x"), null); // never served back to FR
      }
      insert(s, batch("DE", 21, 1, 21, null), null);
      insert(s, batch("DE", 22, 2, 22, null), null);
      Page page = servable(s, 2, FR_X, true, Long.MIN_VALUE);
      assertEquals(List.of(21L, 22L), positions(page));
      assertEquals(22, page.lastPosition());
      Page none = s.read(tx -> tx.batches().servableAfter(22, 2, recipient(FR_X, true, 0)));
      assertEquals(List.of(), none.batches());
      assertEquals(22, none.lastPosition());
    }
  }

  @Test
  void uploadAuthorizationIsSingleUse() {
    try (Store s = open()) {
      byte[] id = new byte[16];
      accept(s, id, 1000, new byte[] {1}, new byte[] {2});
      RuleViolation v =
          assertThrows(RuleViolation.class, () -> accept(s, id, 1001, new byte[] {3}));
      assertEquals(Rule.AUTHORIZATION_USED, v.rule());
      assertEquals(2, s.read(tx -> tx.uploads().pending()).size());
    }
  }

  @Test
  void ownBatchConsumesPendingKeysAtomically() {
    try (Store s = open()) {
      accept(s, new byte[16], 1000, new byte[] {1}, new byte[] {2});
      long[] ids =
          s.read(tx -> tx.uploads().pending()).stream().mapToLong(PendingKey::id).toArray();
      assertThrows(
          IllegalStateException.class,
          () ->
              s.write(
                  tx -> {
                    tx.batches().insert(batch("DE", 1, 1, 1, null));
                    tx.uploads().consume(ids);
                    throw new IllegalStateException("the signer failed");
                  }));
      assertEquals(2, s.read(tx -> tx.uploads().pending()).size());
      assertEquals(0, (long) s.read(tx -> tx.batches().highestSequence("DE")));
      s.write(
          tx -> {
            tx.batches().insert(batch("DE", 1, 1, 1, null));
            tx.uploads().consume(ids);
            return null;
          });
      assertTrue(s.read(tx -> tx.uploads().pending()).isEmpty());
      assertEquals(1, (long) s.read(tx -> tx.batches().highestSequence("DE")));
    }
  }

  @Test
  void purgedBatchIsNoLongerServedButStillRecognized() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 7, null), null);
      assertEquals(1, s.read(tx -> tx.batches().withKeysEndingBefore(501)).size());
      assertEquals(0, s.read(tx -> tx.batches().withKeysEndingBefore(500)).size());
      s.write(
          tx -> {
            tx.batches().replacePayload(1, null, 0, Long.MAX_VALUE);
            return null;
          });
      assertTrue(servable(s, 10, NOBODY, true, Long.MIN_VALUE).batches().isEmpty());
      assertEquals(Batches.Insert.DUPLICATE, insert(s, batch("DE", 1, 1, 7, null), null));
      assertEquals(1, (int) s.write(tx -> tx.batches().forgetBefore(1001)));
      assertEquals(0, records(s));
    }
  }

  @Test
  void eraseForeignKeepsOwnBatches() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 1, null), null);
      insert(s, batch("FR", 2, 1, 2, "FR/x"), cursor(1));
      List<BatchRecord> foreign =
          s.write(
              tx -> {
                List<BatchRecord> erased = tx.batches().foreign("DE");
                tx.batches().eraseForeign("DE");
                tx.cursors().eraseAll();
                return erased;
              });
      s.scrub(); // rewrites or checkpoints the files; what is kept stays readable
      assertEquals(
          List.of(new BatchRecord("FR", batch("FR", 2, 1, 2, null).contentSha256(), 3)), foreign);
      assertEquals(1, records(s));
      assertTrue(cursorOf(s).isEmpty());
    }
  }

  @Test
  void refusesToRollTheAgreementBack() {
    try (Store s = open()) {
      record(s, 2, 2);
      record(s, 2, 2);
      record(s, 3, 3);
      StoreException older = assertThrows(StoreException.class, () -> record(s, 2, 2));
      assertEquals(
          "agreement version 2 is older than version 3 this node ran before; refusing to roll"
              + " back",
          older.getMessage());
      StoreException changed = assertThrows(StoreException.class, () -> record(s, 3, 9));
      assertEquals(
          "agreement version 3 differs from the version 3 this node ran before",
          changed.getMessage());
    }
  }

  private static void record(Store s, long version, int hash) {
    s.write(
        tx -> {
          tx.agreements().record(version, new byte[] {(byte) hash});
          return null;
        });
  }

  @Test
  void batchesQueuedTogetherCommitInOneGroupEachWithItsOwnOutcome() {
    try (SqlStore s = open()) {
      insert(s, batch("DE", 1, 1, 7, "DE/a"), null);
      GroupCommit.Pending fresh = s.enqueue(batch("DE", 2, 2, 8, "DE/a"), null);
      GroupCommit.Pending conflict = s.enqueue(batch("DE", 1, 3, 9, "DE/a"), null);
      GroupCommit.Pending withCursor = s.enqueue(batch("FR", 3, 1, 1, "FR/x"), cursor(4));
      GroupCommit.Pending replay = s.enqueue(batch("FR", 4, 1, 2, "FR/x"), cursor(5));
      GroupCommit.Pending retry = s.enqueue(batch("DE", 1, 1, 7, "FR/x"), null);

      // the first caller to wait commits the whole group; the others find their outcome
      assertEquals(Batches.Insert.STORED, s.awaitCommit(fresh));
      assertEquals(
          Rule.BATCH_ID_CONFLICT,
          assertThrows(RuleViolation.class, () -> s.awaitCommit(conflict)).rule());
      assertEquals(Batches.Insert.STORED, s.awaitCommit(withCursor));
      assertEquals(
          Rule.SEQUENCE_CONFLICT,
          assertThrows(RuleViolation.class, () -> s.awaitCommit(replay)).rule());
      assertEquals(Batches.Insert.DUPLICATE, s.awaitCommit(retry));

      // a refused batch of the group left neither a record nor its cursor behind
      assertEquals(3, records(s));
      assertArrayEquals(new byte[] {4}, cursorOf(s).orElseThrow());
      assertEquals(
          List.of(1L, 2L),
          s.read(tx -> tx.batches().ofOrigin("DE")).stream().map(StoredBatch::position).toList());
    }
  }

  @Test
  void aGroupLargerThanOneTransactionIsCommittedInSeveral() {
    try (SqlStore s = open()) {
      List<GroupCommit.Pending> queued = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        queued.add(s.enqueue(batch("DE", i, i + 1, i, null), null));
      }
      assertEquals(Batches.Insert.STORED, s.awaitCommit(queued.get(149)));
      for (GroupCommit.Pending p : queued) {
        assertEquals(Batches.Insert.STORED, s.awaitCommit(p));
      }
      assertEquals(150, records(s));
    }
  }

  @Test
  void storedBatchesCarryTheirContentHashAndKeyCount() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 7, "DE/a"), null);
      byte[] id = batch("DE", 1, 1, 7, null).batchId();
      StoredBatch b =
          s.read(tx -> tx.batches().servable("DE", id, recipient(FR_X, true, Long.MIN_VALUE)))
              .orElseThrow();
      assertEquals(7, b.contentSha256().bytes()[0]);
      assertEquals(3, b.keyCount());
      assertArrayEquals(new byte[] {1}, b.payload());
      assertEquals(OperatorIdentity.parse("DE/a"), b.receivedFrom());
    }
  }

  @Test
  void operatorMatchingFollowsBatchesThatStillHoldKeysServableOrNot() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 7, null), null);
      insert(s, batch("DE", 2, 2, 8, null), null);
      insert(s, batch("DE", 3, 3, 9, null), null);
      s.write(
          tx -> {
            tx.batches().replacePayload(1, new byte[] {9}, 1, 600); // purged in part
            tx.batches().replacePayload(2, null, 0, 0); // every key gone
            return null;
          });
      Page page = s.read(tx -> tx.batches().withKeysAfter(0, 10));
      assertEquals(List.of(1L, 3L), positions(page));
      assertEquals(3, page.lastPosition());
      Page after = s.read(tx -> tx.batches().withKeysAfter(3, 10));
      assertEquals(List.of(), after.batches());
      assertEquals(3, after.lastPosition());
    }
  }

  @Test
  void aBatchWithAKeyPastRetentionIsNotServedEvenBeforeThePurge() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 7, null), null); // oldest key ends at interval 500
      assertEquals(1, servable(s, 10, NOBODY, true, 500).batches().size());
      Page expired = servable(s, 10, NOBODY, true, 501);
      assertTrue(expired.batches().isEmpty());
      assertEquals(1, expired.lastPosition());
      byte[] id = batch("DE", 1, 1, 7, null).batchId();
      assertTrue(
          s.read(tx -> tx.batches().servable("DE", id, recipient(FR_X, true, 500))).isPresent());
      assertTrue(
          s.read(tx -> tx.batches().servable("DE", id, recipient(FR_X, true, 501))).isEmpty());
    }
  }

  @Test
  void aShortPageNeverGoesBackBeforeItsCursor() {
    try (Store s = open()) {
      insert(s, batch("DE", 1, 1, 1, null), null);
      insert(s, batch("DE", 2, 2, 2, null), null);
      s.write(
          tx -> {
            tx.batches().replacePayload(2, null, 0, Long.MAX_VALUE);
            return tx.batches().forgetBefore(1001); // the newest record is gone
          });
      Page page = s.read(tx -> tx.batches().servableAfter(2, 10, recipient(FR_X, true, 0)));
      assertEquals(List.of(), page.batches());
      assertEquals(2, page.lastPosition());
      insert(s, batch("DE", 3, 3, 3, null), null);
      Page next = s.read(tx -> tx.batches().servableAfter(2, 10, recipient(FR_X, true, 0)));
      assertEquals(List.of(3L), positions(next));
    }
  }
}
