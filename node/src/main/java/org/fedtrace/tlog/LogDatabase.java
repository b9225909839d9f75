package org.fedtrace.tlog;

/**
 * Runs work on the log's storage in one transaction: the port through which {@link TransparencyLog}
 * reads and writes. The application implements it over its own storage, so that it can also append
 * an event inside a transaction of its own (see {@link TransparencyLog#append}). Failures surface
 * as the implementation's unchecked exceptions.
 */
public interface LogDatabase {
  /** Work on a store view inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    /** Runs against {@code store}. */
    T run(LogStore store);
  }

  /** Runs {@code work} in one write transaction: committed when it returns, rolled back if not. */
  <T> T write(Work<T> work);

  /** Runs {@code work} reading only. */
  <T> T read(Work<T> work);
}
