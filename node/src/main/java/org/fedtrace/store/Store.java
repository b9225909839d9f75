package org.fedtrace.store;

import java.util.function.Consumer;
import org.fedtrace.tlog.LogDatabase;

/**
 * The node's durable store: the port every engine implements (SQLite today, see {@code
 * store.sqlite}). The store owns transactions; callers hand it work that runs against a typed
 * {@link Transaction} (batches, cursors, uploads, notices, operator tables, the transparency log),
 * never against a database connection. A write transaction that returned is durable: it survives a
 * crash of the process or the machine.
 *
 * <p>Every batch the node holds (its own and received ones) has a local <em>position</em> in commit
 * order; positions are what subscription cursors point at. Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {
  /** Work that runs inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    /** Runs against {@code tx}. */
    T run(Transaction tx);
  }

  /** Random id of this database, fixed at creation; cursors carry it. */
  long epoch();

  /**
   * Runs {@code work} in one write transaction: committed when it returns, rolled back when it
   * throws (the exception is rethrown; a storage failure as {@link StoreException}).
   */
  <T> T write(Work<T> work);

  /** Runs {@code work} reading only; a write inside it fails with {@link StoreException}. */
  <T> T read(Work<T> work);

  /**
   * Stores a verified batch, or recognizes it as already stored, and in the same transaction stores
   * {@code cursor} (when not null) and runs {@code whenStored} (when the batch is new): the
   * progress of a peer, the batch and its log entry are durable together or not at all.
   *
   * <p>Returns only after that transaction committed. Batches inserted by several threads at once
   * are committed together (group commit), so that one flush to disk covers them all, while a batch
   * refused leaves the others of its group unaffected.
   *
   * @return {@link Batches.Insert#STORED} or {@link Batches.Insert#DUPLICATE}
   * @throws org.fedtrace.rules.RuleViolation as {@link Batches#insert} does
   */
  Batches.Insert insertBatch(NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored);

  /**
   * Calls {@code listener} after every write transaction this store commits, outside its locks, on
   * the committing thread: a way to wait for the store to change without polling it. A listener
   * must be quick; what it throws is logged and ignored.
   */
  void addCommitListener(Runnable listener);

  /**
   * Calls {@code listener} after every commit that stored, changed or removed batches: of this
   * store's, or, on a store that several processes share (the replicas of a node on PostgreSQL), of
   * another process's, as soon as it hears of it. A listener must be quick; what it throws is
   * logged and ignored.
   */
  void addBatchListener(Runnable listener);

  /** The transparency log's storage: this store's {@link Transaction#log} in its transactions. */
  default LogDatabase logDatabase() {
    Store store = this;
    return new LogDatabase() {
      @Override
      public <T> T write(LogDatabase.Work<T> work) {
        return store.write(tx -> work.run(tx.log()));
      }

      @Override
      public <T> T read(LogDatabase.Work<T> work) {
        return store.read(tx -> work.run(tx.log()));
      }
    };
  }

  /**
   * Makes what earlier writes deleted unrecoverable from the store's files (PRODUCT.md: erased
   * means gone): the retention purge and the sunset erasure call it after their commits. Slow on
   * large stores; outside any transaction.
   */
  void scrub();

  /** Closes the store after the write in progress; further calls fail. */
  @Override
  void close();
}
