package org.fedtrace.store.sql;

import java.util.List;
import java.util.Optional;
import org.fedtrace.store.Witnessing;

/**
 * {@link Witnessing} in the {@code witness_state} table; this migration also creates the log's
 * {@code cosigned_checkpoint} table, which {@link SqlLogStore} reads and writes.
 */
final class SqlWitnessing implements Witnessing {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE witness_state (log_origin TEXT PRIMARY KEY,"
              + " cosigned BLOB, refused BLOB)",
          "CREATE TABLE cosigned_checkpoint (slot INTEGER PRIMARY KEY, data BLOB NOT NULL)");

  private final Sql sql;

  SqlWitnessing(Sql sql) {
    this.sql = sql;
  }

  @Override
  public Optional<byte[]> cosigned(String logOrigin) {
    return sql.one(
            "SELECT cosigned FROM witness_state WHERE log_origin = ?",
            rs -> Optional.ofNullable(rs.getBytes(1)),
            logOrigin)
        .flatMap(o -> o);
  }

  @Override
  public void putCosigned(String logOrigin, byte[] checkpoint) {
    sql.update(
        "INSERT INTO witness_state (log_origin, cosigned) VALUES (?, ?)"
            + " ON CONFLICT(log_origin) DO UPDATE SET cosigned = excluded.cosigned",
        logOrigin,
        checkpoint);
  }

  @Override
  public Optional<byte[]> refused(String logOrigin) {
    return sql.one(
            "SELECT refused FROM witness_state WHERE log_origin = ?",
            rs -> Optional.ofNullable(rs.getBytes(1)),
            logOrigin)
        .flatMap(o -> o);
  }

  @Override
  public void putRefused(String logOrigin, byte[] checkpoint) {
    sql.update(
        "INSERT INTO witness_state (log_origin, refused) VALUES (?, ?)"
            + " ON CONFLICT(log_origin) DO UPDATE SET refused = excluded.refused"
            + " WHERE witness_state.refused IS NULL",
        logOrigin,
        checkpoint);
  }
}
