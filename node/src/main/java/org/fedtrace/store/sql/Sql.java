package org.fedtrace.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.store.StoreException;

/**
 * SQL on one connection, inside whatever transaction is open on it: each statement is prepared once
 * per connection and reused (SQLite compiles every statement it prepares; PostgreSQL's driver
 * switches a statement used again to a server-side prepared one), arguments are bound by their Java
 * type, and every {@link SQLException} becomes a {@link StoreException}. Used by one thread at a
 * time, as its connection is.
 */
final class Sql implements AutoCloseable {
  /** Reads one row. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Binds the arguments of one row of a batched statement. */
  @FunctionalInterface
  interface Binder<T> {
    Object[] arguments(T item);
  }

  private final Connection connection;
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  Sql(Connection connection, Dialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
  }

  Connection connection() {
    return connection;
  }

  Dialect dialect() {
    return dialect;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the rows changed. */
  int update(String sql, Object... args) {
    try {
      PreparedStatement s = prepare(sql, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs {@code sql} once per item, in one JDBC batch. */
  <T> void batch(String sql, Iterable<T> items, Binder<T> binder) {
    try {
      PreparedStatement s = prepare(sql);
      for (T item : items) {
        bind(s, binder.arguments(item));
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** The first row of a query, if any. */
  <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    try (ResultSet rs = prepare(sql, args).executeQuery()) {
      return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Every row of a query, in order. */
  <T> List<T> list(String sql, Row<T> row, Object... args) {
    List<T> out = new ArrayList<>();
    forEach(sql, rs -> out.add(row.read(rs)), args);
    return out;
  }

  /** Calls {@code row} for every row of a query, without collecting them. */
  void forEach(String sql, Row<?> row, Object... args) {
    try (ResultSet rs = prepare(sql, args).executeQuery()) {
      while (rs.next()) {
        row.read(rs);
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** The first column of a query's single row as a number (0 for SQL NULL). */
  long number(String sql, Object... args) {
    return one(sql, rs -> rs.getLong(1), args)
        .orElseThrow(() -> new StoreException("the query returned no row: " + sql, null));
  }

  /** Whether a query returns any row. */
  boolean exists(String sql, Object... args) {
    return one(sql, rs -> Boolean.TRUE, args).isPresent();
  }

  /**
   * Runs table and index definitions, written in SQLite's types and translated for this
   * connection's engine ({@link Dialect#ddl}), uncached.
   */
  void execute(Iterable<String> ddl) {
    try (Statement s = connection.createStatement()) {
      for (String d : ddl) {
        s.execute(dialect.ddl(d));
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement s = statements.get(sql);
    if (s == null) {
      s = connection.prepareStatement(sql);
      statements.put(sql, s);
    }
    bind(s, args);
    return s;
  }

  private static void bind(PreparedStatement s, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      int p = i + 1;
      if (a == null) {
        s.setNull(p, Types.NULL);
      } else if (a instanceof Long v) {
        s.setLong(p, v);
      } else if (a instanceof Integer v) {
        s.setInt(p, v);
      } else if (a instanceof String v) {
        s.setString(p, v);
      } else if (a instanceof byte[] v) {
        s.setBytes(p, v);
      } else if (a instanceof Double v) {
        s.setDouble(p, v);
      } else if (a instanceof Boolean v) {
        s.setInt(p, v ? 1 : 0);
      } else {
        throw new IllegalArgumentException("cannot bind a " + a.getClass().getSimpleName());
      }
    }
  }

  static StoreException failed(SQLException e) {
    return new StoreException("the store failed: " + e.getMessage(), e);
  }

  /** Closes the cached statements and the connection. */
  @Override
  public void close() {
    try {
      for (PreparedStatement s : statements.values()) {
        s.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw failed(e);
    }
  }
}
