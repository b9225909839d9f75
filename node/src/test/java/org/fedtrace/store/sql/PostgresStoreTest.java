package org.fedtrace.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedtrace.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's contract ({@link StoreSuite}) on PostgreSQL, and what only PostgreSQL does. */
class PostgresStoreTest extends StoreSuite {
  private String url;

  @BeforeEach
  void newDatabase() {
    url = TestPostgres.newDatabase();
  }

  @Override
  SqlStore open() {
    return PostgresStore.open(TestPostgres.options(url));
  }

  @Test
  void batchPayloadsAreStoredWithoutTryingToCompressThem() {
    try (SqlStore s = open()) {
      String storage =
          s.writeLocked(
              c ->
                  c.sql()
                      .one(
                          "SELECT attstorage::text FROM pg_attribute"
                              + " WHERE attrelid = 'batch'::regclass AND attname = 'payload'",
                          rs -> rs.getString(1))
                      .orElseThrow());
      assertEquals("e", storage, "EXTERNAL: out of line, uncompressed");
    }
  }

  @Test
  void replicasSharingTheDatabaseShareItsEpochAndSeeEachOthersCommits() throws Exception {
    try (SqlStore one = open();
        SqlStore two = open()) {
      assertEquals(one.epoch(), two.epoch(), "cursors issued by one replica are valid at another");
      java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(1);
      two.addCommitListener(heard::countDown);
      one.write(
          tx -> {
            tx.operator().setMatchCursor(7);
            return null;
          });
      assertTrue(
          heard.await(10, java.util.concurrent.TimeUnit.SECONDS),
          "a commit through one replica wakes the other's listeners (NOTIFY)");
      assertEquals(7L, (long) two.read(tx -> tx.operator().matchCursor()));
    }
  }
}
