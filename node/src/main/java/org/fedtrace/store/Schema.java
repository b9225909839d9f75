package org.fedtrace.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.fedtrace.tlog.SqliteLogStore;
import org.fedtrace.tlog.SqliteNoticeUploads;

/**
 * Creates the schema and migrates older versions; refuses newer ones. Version 2 adds the tables of
 * operator-assisted matching ({@link OperatorTables}), version 3 its remembered revocations.
 */
final class Schema {
  private static final String[] V1 = {
    "CREATE TABLE meta (schema_version INTEGER NOT NULL, epoch INTEGER NOT NULL)",
    "CREATE TABLE batch ("
        + " position INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " origin TEXT NOT NULL,"
        + " batch_id BLOB NOT NULL,"
        + " sequence INTEGER NOT NULL,"
        + " created_unix_seconds INTEGER NOT NULL,"
        + " content_sha256 BLOB NOT NULL,"
        + " key_count INTEGER NOT NULL,"
        + " received_from TEXT,"
        + " received_unix_seconds INTEGER NOT NULL,"
        + " oldest_key_end_interval INTEGER NOT NULL,"
        + " payload BLOB,"
        + " servable INTEGER NOT NULL,"
        + " UNIQUE (origin, batch_id),"
        + " UNIQUE (origin, sequence))",
    "CREATE INDEX batch_oldest_key ON batch (oldest_key_end_interval) WHERE payload IS NOT NULL",
    "CREATE TABLE peer_cursor (peer TEXT PRIMARY KEY, cursor BLOB NOT NULL)",
    "CREATE TABLE agreement_seen (version INTEGER PRIMARY KEY, sha256 BLOB NOT NULL)",
    "CREATE TABLE used_authorization ("
        + " authorization_id BLOB PRIMARY KEY,"
        + " expires_unix_seconds INTEGER NOT NULL,"
        + " used_unix_seconds INTEGER NOT NULL,"
        + " notice_commitment BLOB)",
    "CREATE TABLE pending_key ("
        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " authorization_id BLOB NOT NULL,"
        + " accepted_unix_seconds INTEGER NOT NULL,"
        + " key BLOB NOT NULL)",
  };

  private Schema() {}

  /** Brings the database to {@link Store#SCHEMA_VERSION}; returns the store's epoch. */
  static long migrate(Connection c, SecureRandom random) throws SQLException {
    c.setAutoCommit(false);
    try {
      long epoch;
      if (!hasTable(c, "meta")) {
        try (Statement s = c.createStatement()) {
          for (String ddl : V1) {
            s.execute(ddl);
          }
          for (String ddl : SqliteLogStore.DDL) {
            s.execute(ddl);
          }
          for (String ddl : SqliteNoticeUploads.DDL) {
            s.execute(ddl);
          }
          for (String ddl : OperatorTables.DDL) {
            s.execute(ddl);
          }
          for (String ddl : OperatorTables.DDL_V3) {
            s.execute(ddl);
          }
        }
        epoch = random.nextLong() & Long.MAX_VALUE;
        try (PreparedStatement ins =
            c.prepareStatement("INSERT INTO meta (schema_version, epoch) VALUES (?, ?)")) {
          ins.setInt(1, Store.SCHEMA_VERSION);
          ins.setLong(2, epoch);
          ins.executeUpdate();
        }
      } else {
        if (version(c) == 1) {
          toVersion2(c);
        }
        if (version(c) == 2) {
          toVersion3(c);
        }
        epoch = readMeta(c);
      }
      c.commit();
      return epoch;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Version 1 to 2: the tables of operator-assisted matching; and what version 1 stores made before
   * the agreement record and the transparency log lack (they kept version 1 when those came).
   */
  private static void toVersion2(Connection c) throws SQLException {
    SqliteLogStore.createTables(c);
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS agreement_seen"
              + " (version INTEGER PRIMARY KEY, sha256 BLOB NOT NULL)");
      for (String ddl : SqliteNoticeUploads.DDL) {
        s.execute(ddl);
      }
      for (String ddl : OperatorTables.DDL) {
        s.execute(ddl);
      }
      s.executeUpdate("UPDATE meta SET schema_version = 2");
    }
  }

  /** Version 2 to 3: the revocations operator-assisted matching remembers. */
  private static void toVersion3(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : OperatorTables.DDL_V3) {
        s.execute(ddl);
      }
      s.executeUpdate("UPDATE meta SET schema_version = 3");
    }
  }

  private static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT schema_version FROM meta")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Checks the schema version of an existing store without changing anything; returns its epoch.
   */
  static long readMeta(Connection c) throws SQLException {
    if (!hasTable(c, "meta")) {
      throw new StoreException("the database has no fedtrace schema", null);
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT schema_version, epoch FROM meta")) {
      rs.next();
      int version = rs.getInt(1);
      if (version != Store.SCHEMA_VERSION) {
        throw new StoreException(
            "the store has schema version "
                + version
                + "; this fedtrace reads version "
                + Store.SCHEMA_VERSION,
            null);
      }
      return rs.getLong(2);
    }
  }

  private static boolean hasTable(Connection c, String name) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }
}
