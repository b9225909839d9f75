package org.fedtrace.store.sqlite;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.List;
import org.fedtrace.store.StoreException;

/**
 * Creates the schema and migrates older versions; refuses newer ones. Version 2 adds the tables of
 * operator-assisted matching ({@link SqliteOperatorData}), version 3 its remembered revocations.
 */
final class SqliteSchema {
  /** Schema version this code reads and writes. */
  static final int VERSION = 3;

  private static final List<String> META =
      List.of("CREATE TABLE meta (schema_version INTEGER NOT NULL, epoch INTEGER NOT NULL)");

  private SqliteSchema() {}

  /** Brings the database to {@link #VERSION} in one transaction; returns the store's epoch. */
  static long migrate(Sql sql, SecureRandom random) {
    try {
      return SqliteStore.inTransaction(
          sql.connection(), () -> hasTable(sql, "meta") ? upgrade(sql) : create(sql, random));
    } catch (SQLException e) {
      throw Sql.failed(e);
    }
  }

  private static long create(Sql sql, SecureRandom random) {
    sql.execute(META);
    sql.execute(SqliteBatches.DDL);
    sql.execute(SqliteCursors.DDL);
    sql.execute(SqliteAgreements.DDL);
    sql.execute(SqliteUploads.DDL);
    createLogTables(sql);
    sql.execute(SqliteNotices.INDEX_DDL);
    sql.execute(SqliteOperatorData.DDL);
    sql.execute(SqliteOperatorData.DDL_V3);
    long epoch = random.nextLong() & Long.MAX_VALUE;
    sql.update("INSERT INTO meta (schema_version, epoch) VALUES (?, ?)", VERSION, epoch);
    return epoch;
  }

  private static long upgrade(Sql sql) {
    if (version(sql) == 1) {
      toVersion2(sql);
    }
    if (version(sql) == 2) {
      sql.execute(SqliteOperatorData.DDL_V3); // the revocations operator matching remembers
      sql.update("UPDATE meta SET schema_version = 3");
    }
    return readMeta(sql);
  }

  /**
   * Version 1 to 2: the tables of operator-assisted matching; and what version 1 stores made before
   * the agreement record and the transparency log lack (they kept version 1 when those came).
   */
  private static void toVersion2(Sql sql) {
    createLogTables(sql);
    sql.execute(SqliteAgreements.DDL);
    sql.execute(SqliteNotices.INDEX_DDL);
    sql.execute(SqliteOperatorData.DDL);
    sql.update("UPDATE meta SET schema_version = 2");
  }

  /** The log's tables and the notice links, unless the log's tables exist. */
  private static void createLogTables(Sql sql) {
    if (!hasTable(sql, "log_entry")) {
      sql.execute(SqliteLogStore.DDL);
      sql.execute(SqliteNotices.DDL);
    }
  }

  private static int version(Sql sql) {
    return (int) sql.number("SELECT schema_version FROM meta");
  }

  /**
   * Checks the schema version of an existing store without changing anything; returns its epoch.
   */
  static long readMeta(Sql sql) {
    if (!hasTable(sql, "meta")) {
      throw new StoreException("the database has no fedtrace schema", null);
    }
    int version = version(sql);
    if (version != VERSION) {
      throw new StoreException(
          "the store has schema version " + version + "; this fedtrace reads version " + VERSION,
          null);
    }
    return sql.number("SELECT epoch FROM meta");
  }

  private static boolean hasTable(Sql sql, String name) {
    return sql.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name);
  }
}
