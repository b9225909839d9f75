package org.fedtrace.tlog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link LogDatabase} on an SQLite file of its own (WAL, {@code synchronous=FULL}): for tests and
 * for a node that keeps its log apart from its batch store. One connection under a lock, so writes
 * are serialized, which appending requires. Thread-safe.
 */
public final class SqliteLogDatabase implements LogDatabase, AutoCloseable {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private SqliteLogDatabase(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the log database {@code file}.
   *
   * @throws LogStorageException if it cannot be opened or its tables cannot be created
   */
  public static SqliteLogDatabase open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
      }
      SqliteLogDatabase db = new SqliteLogDatabase(c);
      db.write(
          store -> {
            SqliteLogStore.createTables(c);
            return null;
          });
      return db;
    } catch (SQLException e) {
      throw new LogStorageException("cannot open the log database " + file + ": " + e, e);
    }
  }

  @Override
  public <T> T write(Work<T> work) {
    lock.lock();
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(new SqliteLogStore(connection));
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new LogStorageException("log database write failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <T> T read(Work<T> work) {
    return write(work);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new LogStorageException("closing the log database failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
