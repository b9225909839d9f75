package org.fedtrace.store.sql;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sql.SqlStore.Connected;

/**
 * Copies a whole store from one engine to another (SQLite to PostgreSQL when an operator moves to
 * production, or back): every table row for row, with its positions and ids, and the source's
 * epoch, so that the cursors peers hold stay valid and the transparency log keeps its entries, tree
 * and checkpoint. Leases and the schema history stay the target's own. The target must be empty;
 * the copy is one transaction on it, so a failed copy leaves it empty.
 */
public final class StoreCopy {
  /** The tables, parents before the tables that refer to them, each with its identity column. */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("batch", "position");
    TABLES.put("peer_cursor", null);
    TABLES.put("used_authorization", null);
    TABLES.put("pending_key", "id");
    TABLES.put("agreement_seen", null);
    TABLES.put("sunset_reached", null);
    TABLES.put("log_entry", null);
    TABLES.put("log_node", null);
    TABLES.put("log_checkpoint", null);
    TABLES.put("notice_batch", null);
    TABLES.put("operator_device", "id");
    TABLES.put("operator_observation", null);
    TABLES.put("operator_exposure", "id");
    TABLES.put("operator_match_cursor", null);
    TABLES.put("operator_revoked", null);
    TABLES.put("stat_tally", null);
    TABLES.put("stat_state", null);
    TABLES.put("stat_release", null);
    TABLES.put("witness_state", null);
    TABLES.put("cosigned_checkpoint", null);
  }

  private static final int CHUNK = 1000;

  private StoreCopy() {}

  /**
   * Copies {@code from} into the empty store {@code to}; returns the rows copied per table.
   *
   * @param progress told (table, rows copied so far) every {@value #CHUNK} rows and at each table's
   *     end
   * @throws StoreException if {@code to} is not empty, or either store fails
   */
  public static Map<String, Long> copy(
      SqlStore from, SqlStore to, BiConsumer<String, Long> progress) {
    Map<String, Long> copied = new LinkedHashMap<>();
    to.writeLocked(
        target -> {
          for (String table : TABLES.keySet()) {
            if (target.sql().exists("SELECT 1 FROM " + table)) {
              throw new StoreException(
                  "the target store is not empty (table " + table + " has rows)", null);
            }
          }
          target.sql().update("UPDATE meta SET epoch = ?", from.epoch());
          for (Map.Entry<String, String> t : TABLES.entrySet()) {
            long rows = copyTable(from, target.sql(), t.getKey(), progress);
            copied.put(t.getKey(), rows);
            if (t.getValue() != null) {
              target.sql().dialect().continueIdentity(target.sql(), t.getKey(), t.getValue());
            }
          }
          // deposits go on numbering after the source's last (the target's row exists already)
          long lastDeposit = from.read(tx -> tx.operator().lastDeposit());
          target.sql().update("UPDATE operator_deposit_counter SET last = ?", lastDeposit);
          return null;
        });
    return copied;
  }

  private static long copyTable(
      SqlStore from, Sql target, String table, BiConsumer<String, Long> progress) {
    Connected source = from.reader();
    try {
      List<Object[]> chunk = new ArrayList<>(CHUNK);
      String[] insert = new String[1];
      long[] rows = new long[1];
      source
          .sql()
          .forEach(
              "SELECT * FROM " + table,
              rs -> {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                if (insert[0] == null) {
                  StringBuilder cols = new StringBuilder();
                  StringBuilder marks = new StringBuilder();
                  for (int i = 1; i <= n; i++) {
                    cols.append(i == 1 ? "" : ", ").append(md.getColumnName(i));
                    marks.append(i == 1 ? "?" : ", ?");
                  }
                  insert[0] = "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
                }
                Object[] row = new Object[n];
                for (int i = 1; i <= n; i++) {
                  row[i - 1] = rs.getObject(i);
                }
                chunk.add(row);
                if (chunk.size() == CHUNK) {
                  target.batch(insert[0], chunk, r -> r);
                  rows[0] += chunk.size();
                  chunk.clear();
                  progress.accept(table, rows[0]);
                }
                return null;
              });
      if (!chunk.isEmpty()) {
        target.batch(insert[0], chunk, r -> r);
        rows[0] += chunk.size();
      }
      progress.accept(table, rows[0]);
      return rows[0];
    } finally {
      from.done(source);
    }
  }
}
