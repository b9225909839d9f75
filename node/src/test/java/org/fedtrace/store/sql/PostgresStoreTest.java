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
  void replicasSharingTheDatabaseShareItsEpochAndHearOfEachOthersBatches() throws Exception {
    try (SqlStore one = open();
        SqlStore two = open()) {
      assertEquals(one.epoch(), two.epoch(), "cursors issued by one replica are valid at another");
      java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(1);
      two.addBatchListener(
          () -> {
            if (two.read(tx -> tx.batches().lastPosition()) == 1) {
              heard.countDown();
            }
          });
      insert(one, batch("DE", 1, 1, 7, null), null);
      assertTrue(
          heard.await(10, java.util.concurrent.TimeUnit.SECONDS),
          "a batch stored through one replica wakes the other's batch listeners (NOTIFY)");
    }
  }

  @Test
  void onlyCommitsThatChangeBatchesAreAnnounced() throws Exception {
    try (SqlStore quiet = open();
        SqlStore storing = open();
        java.sql.Connection listen = java.sql.DriverManager.getConnection(url, "postgres", "")) {
      try (java.sql.Statement st = listen.createStatement()) {
        st.execute("LISTEN " + PostgresStore.CHANNEL);
      }
      org.postgresql.PGConnection pg = listen.unwrap(org.postgresql.PGConnection.class);
      java.util.List<String> from = new java.util.ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        long cursor = i;
        quiet.write(
            tx -> {
              tx.operator().setMatchCursor(cursor); // no batch: must not be announced
              return null;
            });
        insert(storing, batch("DE", i, i, i, null), null);
        org.postgresql.PGNotification[] n = pg.getNotifications(10_000);
        assertTrue(n != null && n.length > 0, "the batch was announced");
        for (org.postgresql.PGNotification each : n) {
          from.add(each.getParameter());
        }
      }
      // notices arrive in commit order: had the quiet store announced its commits, each would
      // have come with (before) the storing store's, from another replica
      assertEquals(2, from.size(), "two announcements: " + from);
      assertEquals(from.get(0), from.get(1), "both from the storing replica");
    }
  }
}
