package org.fedtrace.store.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.store.Statistics;

/**
 * {@link Statistics} in the tables {@code stat_tally} (day, cell, count), {@code stat_state} (one
 * row: first day, next log index) and {@code stat_release} (one row per released day).
 */
final class SqlStatistics implements Statistics {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE stat_tally (day TEXT NOT NULL, cell TEXT NOT NULL,"
              + " count INTEGER NOT NULL, PRIMARY KEY (day, cell))",
          "CREATE TABLE stat_state (id INTEGER PRIMARY KEY, first_day TEXT NOT NULL,"
              + " next_log_index INTEGER NOT NULL)",
          "CREATE TABLE stat_release (day TEXT PRIMARY KEY, epsilon TEXT NOT NULL,"
              + " leaf_index INTEGER NOT NULL, sha256 BLOB NOT NULL, body TEXT NOT NULL)");

  private final Sql sql;

  SqlStatistics(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void add(String day, Map<String, Long> counts) {
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      sql.update(
          "INSERT INTO stat_tally (day, cell, count) VALUES (?, ?, ?)"
              + " ON CONFLICT(day, cell) DO UPDATE SET count = stat_tally.count + excluded.count",
          day,
          c.getKey(),
          c.getValue());
    }
  }

  @Override
  public Map<String, Long> tallies(String day) {
    Map<String, Long> out = new LinkedHashMap<>();
    sql.forEach(
        "SELECT cell, count FROM stat_tally WHERE day = ? ORDER BY cell",
        rs -> out.put(rs.getString(1), rs.getLong(2)),
        day);
    return out;
  }

  @Override
  public void dropTallies(String day) {
    sql.update("DELETE FROM stat_tally WHERE day = ?", day);
  }

  @Override
  public Optional<String> earliestTally() {
    return sql.one("SELECT day FROM stat_tally ORDER BY day LIMIT 1", rs -> rs.getString(1));
  }

  @Override
  public Optional<String> firstDay() {
    return sql.one("SELECT first_day FROM stat_state WHERE id = 1", rs -> rs.getString(1));
  }

  @Override
  public long nextLogIndex() {
    return sql.one("SELECT next_log_index FROM stat_state WHERE id = 1", rs -> rs.getLong(1))
        .orElse(0L);
  }

  @Override
  public void setState(String firstDay, long nextLogIndex) {
    sql.update(
        "INSERT INTO stat_state (id, first_day, next_log_index) VALUES (1, ?, ?)"
            + " ON CONFLICT(id) DO UPDATE SET first_day = excluded.first_day,"
            + " next_log_index = excluded.next_log_index",
        firstDay,
        nextLogIndex);
  }

  @Override
  public void putRelease(StoredRelease r) {
    sql.update(
        "INSERT INTO stat_release (day, epsilon, leaf_index, sha256, body) VALUES (?, ?, ?, ?, ?)",
        r.day(),
        r.epsilon(),
        r.leafIndex(),
        r.sha256(),
        r.body());
  }

  @Override
  public List<StoredRelease> releases() {
    return sql.list(
        "SELECT day, epsilon, leaf_index, sha256, body FROM stat_release ORDER BY day",
        rs ->
            new StoredRelease(
                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4), rs.getString(5)));
  }
}
