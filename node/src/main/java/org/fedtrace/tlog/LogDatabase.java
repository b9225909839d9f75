package org.fedtrace.tlog;

import java.sql.SQLException;

/**
 * Runs work on the log's storage in one transaction. The node implements it over its own store (the
 * same SQLite file and write lock as batches); {@link SqliteLogDatabase} is a standalone
 * implementation on a file of its own. Failures surface as the implementation's unchecked storage
 * exception.
 */
public interface LogDatabase {
  /** Work on a store view inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    /** Runs against {@code store}. */
    T run(LogStore store) throws SQLException;
  }

  /** Runs {@code work} in one write transaction: committed when it returns, rolled back if not. */
  <T> T write(Work<T> work);

  /** Runs {@code work} on a consistent snapshot, writing nothing. */
  <T> T read(Work<T> work);
}
