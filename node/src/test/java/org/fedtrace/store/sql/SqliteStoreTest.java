package org.fedtrace.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract ({@link StoreSuite}) on SQLite, and what only SQLite does. */
class SqliteStoreTest extends StoreSuite {
  @TempDir Path dir;

  @Override
  SqlStore open() {
    return SqliteStore.open(dir);
  }

  @Test
  void aNewStoreUsesLargePagesInWalModeWithFullSync() throws SQLException {
    try (SqliteStore s = SqliteStore.open(dir)) {
      assertEquals(List.of(16_384L, "wal"), pragmas(s.file()));
      assertEquals(2L, s.writerSql().number("PRAGMA synchronous")); // FULL, on the writer
    }
  }

  @Test
  void erasedPayloadsAreNotLeftInTheFilesAfterAScrub() throws Exception {
    java.util.Random random = new java.util.Random(7);
    List<byte[]> payloads = new ArrayList<>();
    try (SqliteStore s = SqliteStore.open(dir)) {
      for (int i = 1; i <= 40; i++) {
        byte[] payload = new byte[3_000];
        random.nextBytes(payload);
        payloads.add(payload);
        NewBatch b = batch("FR", i, i, i, "FR/x");
        s.insertBatch(
            new NewBatch(
                b.batch(), payload, b.contentSha256(), b.receivedFrom(), b.receivedUnixSeconds()),
            cursor(i),
            tx -> {});
      }
      s.write(
          tx -> {
            tx.batches().eraseForeign("DE");
            return null;
          });
      s.scrub();
    }
    byte[] db = java.nio.file.Files.readAllBytes(dir.resolve("fedtrace.db"));
    Path wal = dir.resolve("fedtrace.db-wal");
    byte[] log =
        java.nio.file.Files.exists(wal) ? java.nio.file.Files.readAllBytes(wal) : new byte[0];
    int found = 0;
    for (byte[] p : payloads) {
      byte[] probe = java.util.Arrays.copyOfRange(p, 1_000, 1_032);
      if (indexOf(db, probe) >= 0 || indexOf(log, probe) >= 0) {
        found++;
      }
    }
    assertEquals(0, found, "erased payloads still readable in the store's files");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static List<Object> pragmas(Path file) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      for (String p : List.of("page_size", "journal_mode")) {
        try (ResultSet rs = st.executeQuery("PRAGMA " + p)) {
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
    try (Store writer = SqliteStore.open(dir);
        Store reader = SqliteStore.openReadOnly(dir)) {
      assertEquals(0, (long) reader.read(tx -> tx.batches().highestSequence("DE")));
      insert(writer, batch("DE", 1, 1, 7, "DE/a"), null);

      assertEquals(1, (long) reader.read(tx -> tx.batches().highestSequence("DE")));
      assertEquals(writer.epoch(), reader.epoch());
      StoreException e =
          assertThrows(
              StoreException.class, () -> insert(reader, batch("DE", 2, 2, 8, null), null));
      assertEquals(
          "the store " + dir.resolve("fedtrace.db") + " is open read-only", e.getMessage());
    }
  }

  @Test
  void aReadOnlyStoreMustExist() {
    StoreException e = assertThrows(StoreException.class, () -> SqliteStore.openReadOnly(dir));
    assertEquals("there is no store at " + dir.resolve("fedtrace.db"), e.getMessage());
  }

  @Test
  void aVersion1StoreGainsTheTablesItLacksWhenOpened() throws SQLException {
    try (SqliteStore s = SqliteStore.open(dir)) {
      insert(s, batch("DE", 1, 1, 7, null), null);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fedtrace.db"));
        Statement st = c.createStatement()) {
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
              "notice_batch",
              // and from before the schema history and the leases of replicas
              "schema_history",
              "lease",
              "operator_deposit_counter",
              // and from before the sunset record
              "sunset_reached",
              // and from before the statistics
              "stat_tally",
              "stat_state",
              "stat_release",
              // and from before witnessing
              "witness_state",
              "cosigned_checkpoint")) {
        st.execute("DROP TABLE " + table);
      }
      // and from before the sharing scope of pending keys and batches (schema 7)
      st.execute("ALTER TABLE pending_key DROP COLUMN scope");
      st.execute("ALTER TABLE batch DROP COLUMN scope");
      st.executeUpdate("UPDATE meta SET schema_version = 1");
    }
    try (SqliteStore s = SqliteStore.open(dir)) {
      assertEquals(1, records(s));
      assertEquals(0L, (long) s.read(tx -> tx.operator().observationCount()));
      assertEquals(0L, (long) s.read(tx -> tx.operator().matchCursor()));
      for (String table :
          List.of(
              "agreement_seen",
              "log_entry",
              "notice_batch",
              "schema_history",
              "lease",
              "witness_state",
              "cosigned_checkpoint")) {
        assertEquals(
            1,
            s.writerSql().number("SELECT count(*) FROM sqlite_master WHERE name = ?", table),
            table);
      }
    }
    try (Store s = SqliteStore.openReadOnly(dir)) {
      assertEquals(1, records(s));
    }
  }

  @Test
  void aFailedCommitIsRolledBackAndTheStoreWritesOn() {
    try (SqliteStore s = SqliteStore.open(dir)) {
      // a foreign key checked only at COMMIT: the commit itself fails
      StoreException e =
          assertThrows(
              StoreException.class,
              () ->
                  s.write(
                      tx -> {
                        s.writerSql().execute(List.of("PRAGMA defer_foreign_keys=ON"));
                        s.writerSql()
                            .update(
                                "INSERT INTO operator_observation (device, rpi, interval_number,"
                                    + " duration_seconds, attenuation_db) VALUES (999, ?, 1, 1, 1)",
                                new byte[16]);
                        tx.operator().setMatchCursor(3);
                        return null;
                      }));
      assertTrue(e.getMessage().contains("FOREIGN KEY"), e.getMessage());
      assertEquals(0L, (long) s.read(tx -> tx.operator().matchCursor()), "nothing committed");
      for (int i = 1; i <= 3; i++) {
        long cursor = 10 + i;
        s.write(
            tx -> {
              tx.operator().setMatchCursor(cursor);
              return null;
            });
        assertEquals(cursor, (long) s.read(tx -> tx.operator().matchCursor()));
      }
      assertEquals(0L, (long) s.read(tx -> tx.operator().observationCount()));
    }
  }
}
