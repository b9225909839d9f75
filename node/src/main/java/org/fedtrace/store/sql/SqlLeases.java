package org.fedtrace.store.sql;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedtrace.store.Leases;

/** {@link Leases} in the {@code lease} table (schema version 4). */
final class SqlLeases implements Leases {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE lease ("
              + " name TEXT PRIMARY KEY,"
              + " holder TEXT NOT NULL,"
              + " token INTEGER NOT NULL,"
              + " expires_unix_millis INTEGER NOT NULL)");

  private record Held(String holder, long token, long expires) {}

  private final Sql sql;

  SqlLeases(Sql sql) {
    this.sql = sql;
  }

  @Override
  public OptionalLong acquire(String name, String holder, long nowMillis, long ttlMillis) {
    long until = nowMillis + ttlMillis;
    Optional<Held> held = held(name);
    if (held.isEmpty()) {
      sql.update(
          "INSERT INTO lease (name, holder, token, expires_unix_millis) VALUES (?, ?, 1, ?)",
          name,
          holder,
          until);
      return OptionalLong.of(1);
    }
    Held h = held.get();
    if (h.holder().equals(holder)) {
      sql.update("UPDATE lease SET expires_unix_millis = ? WHERE name = ?", until, name);
      return OptionalLong.of(h.token());
    }
    if (h.expires() >= nowMillis) {
      return OptionalLong.empty();
    }
    long token = h.token() + 1;
    sql.update(
        "UPDATE lease SET holder = ?, token = ?, expires_unix_millis = ? WHERE name = ?",
        holder,
        token,
        until,
        name);
    return OptionalLong.of(token);
  }

  @Override
  public boolean holds(String name, String holder, long token, long nowMillis) {
    return held(name)
        .filter(h -> h.holder().equals(holder) && h.token() == token && h.expires() >= nowMillis)
        .isPresent();
  }

  @Override
  public Optional<String> holder(String name, long nowMillis) {
    return held(name).filter(h -> h.expires() >= nowMillis).map(Held::holder);
  }

  @Override
  public void release(String name, String holder) {
    sql.update(
        "UPDATE lease SET expires_unix_millis = 0 WHERE name = ? AND holder = ?", name, holder);
  }

  private Optional<Held> held(String name) {
    return sql.one(
        "SELECT holder, token, expires_unix_millis FROM lease WHERE name = ?",
        rs -> new Held(rs.getString(1), rs.getLong(2), rs.getLong(3)),
        name);
  }
}
