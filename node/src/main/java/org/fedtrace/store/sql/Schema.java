package org.fedtrace.store.sql;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import org.fedtrace.store.StoreException;

/**
 * The store's versioned schema, one mechanism for both engines: an ordered list of {@link
 * Migration}s, written once in SQLite's types ({@link Dialect#ddl} translates them), applied in one
 * transaction that holds the write lock, so that replicas starting together migrate once. The
 * {@code meta} table holds the version reached and the store's epoch; {@code schema_history} one
 * row per migration applied in a run that reached version 4 or later, with its time. A store of a
 * newer version than this code knows is refused, never changed.
 */
final class Schema {
  /** One step of the schema: from {@code version - 1} to {@code version}. */
  record Migration(int version, String description, Consumer<Sql> apply) {}

  private static final List<String> META =
      List.of("CREATE TABLE meta (schema_version INTEGER NOT NULL, epoch INTEGER NOT NULL)");

  private static final List<String> HISTORY =
      List.of(
          "CREATE TABLE schema_history ("
              + " version INTEGER PRIMARY KEY,"
              + " description TEXT NOT NULL,"
              + " applied_unix_seconds INTEGER NOT NULL)");

  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "batches, peer cursors, upload authorizations and pending keys",
              sql -> {
                sql.execute(SqlBatches.DDL);
                sql.execute(SqlCursors.DDL);
                sql.execute(SqlUploads.DDL);
              }),
          new Migration(
              2,
              "agreement record, transparency log, notice links, operator matching",
              sql -> {
                // version 1 stores made after the agreement record and the log came kept version
                // 1 and may hold those tables already
                if (!sql.dialect().hasTable(sql, "log_entry")) {
                  sql.execute(SqlLogStore.DDL);
                  sql.execute(SqlNotices.DDL);
                }
                sql.execute(SqlAgreements.DDL);
                sql.execute(SqlNotices.INDEX_DDL);
                sql.execute(SqlOperatorData.DDL);
              }),
          new Migration(
              3,
              "revocations remembered by operator matching",
              sql -> sql.execute(SqlOperatorData.DDL_V3)),
          new Migration(
              4,
              "schema history, the leases of replicas, batch payloads stored uncompressed",
              sql -> {
                sql.execute(HISTORY);
                sql.execute(SqlLeases.DDL);
                sql.dialect().storeBlobsUncompressed(sql);
              }),
          new Migration(
              5,
              "deposits numbered, so that every replica's matching index can follow them",
              sql -> sql.execute(SqlOperatorData.DDL_V5)),
          new Migration(
              6,
              "the instant the node reached its sunset, which is final (R21.11)",
              sql -> sql.execute(SqlAgreements.DDL_V6)),
          new Migration(
              7,
              "daily tallies and releases of the differentially private statistics",
              sql -> sql.execute(SqlStatistics.DDL)),
          new Migration(
              8,
              "witnessing: peers' checkpoints cosigned or refused, the log's own cosignatures",
              sql -> sql.execute(SqlWitnessing.DDL)),
          new Migration(
              9,
              "the sharing scope of pending keys: domestic-only, federate or traveller",
              sql -> sql.execute(SqlUploads.DDL_V7)));

  /** Schema version this code reads and writes. */
  static final int VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  private Schema() {}

  /** Brings the database to {@link #VERSION} in one transaction; returns the store's epoch. */
  static long migrate(Sql sql, SecureRandom random) {
    try {
      return SqlStore.inTransaction(
          sql.connection(),
          () -> {
            sql.dialect().serializeWrites(sql);
            if (!sql.dialect().hasTable(sql, "meta")) {
              sql.execute(META);
              sql.update(
                  "INSERT INTO meta (schema_version, epoch) VALUES (0, ?)",
                  random.nextLong() & Long.MAX_VALUE);
            }
            int from = version(sql);
            if (from > VERSION) {
              throw newer(from);
            }
            for (Migration m : MIGRATIONS.subList(from, VERSION)) {
              m.apply().accept(sql);
              sql.update("UPDATE meta SET schema_version = ?", m.version());
            }
            for (Migration m : MIGRATIONS.subList(from, VERSION)) {
              sql.update(
                  "INSERT INTO schema_history (version, description, applied_unix_seconds)"
                      + " VALUES (?, ?, ?)",
                  m.version(),
                  m.description(),
                  System.currentTimeMillis() / 1000);
            }
            return sql.number("SELECT epoch FROM meta");
          });
    } catch (SQLException e) {
      throw Sql.failed(e);
    }
  }

  private static int version(Sql sql) {
    return (int) sql.number("SELECT schema_version FROM meta");
  }

  private static StoreException newer(int version) {
    return new StoreException(
        "the store has schema version " + version + "; this fedtrace reads version " + VERSION,
        null);
  }

  /**
   * Checks the schema version of an existing store without changing anything; returns its epoch.
   */
  static long readMeta(Sql sql) {
    if (!sql.dialect().hasTable(sql, "meta")) {
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
}
