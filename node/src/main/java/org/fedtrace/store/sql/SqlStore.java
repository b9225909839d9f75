package org.fedtrace.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two engines share: transactions on a JDBC connection, the group commit of batches, the
 * commit listeners, and the tables ({@link SqlTransaction}). An engine says where connections come
 * from ({@link #writer}, {@link #reader}) and what to do with them afterwards; its writes run one
 * at a time in this process (the write lock) and, through {@link Dialect#serializeWrites}, across
 * processes sharing one database.
 */
public abstract sealed class SqlStore implements Store permits SqliteStore, PostgresStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);

  /** A connection with its statements and its tables. */
  record Connected(Sql sql, SqlTransaction tx) {
    Connected(Sql sql) {
      this(sql, new SqlTransaction(sql));
    }
  }

  /** Work that runs in a write transaction and needs its connection (savepoints). */
  @FunctionalInterface
  interface ConnectedWork<T> {
    T run(Connected c);
  }

  private final ReentrantLock writeLock = new ReentrantLock();
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> batchListeners = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicBoolean batchesChanged =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final GroupCommit groupCommit = new GroupCommit(this);
  private long epoch;

  SqlStore() {}

  /** Sets the epoch read or made by the schema migration. */
  final void epoch(long value) {
    this.epoch = value;
  }

  @Override
  public final long epoch() {
    return epoch;
  }

  /** The connection writes run on, under the write lock; {@link #done(Connected)} after use. */
  abstract Connected writer();

  /** A connection to read on; {@link #done(Connected)} after use. */
  abstract Connected reader();

  /** Gives back a connection taken with {@link #writer} or {@link #reader}. */
  abstract void done(Connected c);

  /** Called inside every write transaction just before it commits (PostgreSQL tells replicas). */
  void beforeCommit(Connected c) {}

  @Override
  public final Batches.Insert insertBatch(
      NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
    return groupCommit.await(groupCommit.enqueue(batch, cursor, whenStored));
  }

  /** Queues a batch for the next group commit (tests look at groups this way). */
  final GroupCommit.Pending enqueue(NewBatch batch, PeerCursor cursor) {
    return groupCommit.enqueue(batch, cursor, tx -> {});
  }

  /** The outcome of a queued batch once committed, committing the queue if no one else does. */
  final Batches.Insert awaitCommit(GroupCommit.Pending p) {
    return groupCommit.await(p);
  }

  @Override
  public final void addCommitListener(Runnable listener) {
    commitListeners.add(listener);
  }

  @Override
  public final void addBatchListener(Runnable listener) {
    batchListeners.add(listener);
  }

  @Override
  public final <T> T write(Work<T> work) {
    T result = writeLocked(c -> work.run(c.tx()));
    committed();
    return result;
  }

  /**
   * Tells the commit listeners about a commit, and the batch listeners when it (or another not yet
   * told) changed batches; never under the write lock.
   */
  final void committed() {
    if (batchesChanged.getAndSet(false)) {
      batchesChangedElsewhere();
    }
    tell(commitListeners);
  }

  /** Tells the batch listeners that batches changed (through another process, or this one). */
  final void batchesChangedElsewhere() {
    tell(batchListeners);
  }

  private static void tell(List<Runnable> listeners) {
    for (Runnable r : listeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("event=commit_listener_failed error=\"{}\"", e.getMessage(), e);
      }
    }
  }

  @Override
  public final void scrub() {
    writeLock.lock();
    try {
      Connected c = writer();
      try {
        scrub(c.sql());
      } finally {
        done(c);
      }
    } catch (SQLException e) {
      throw new StoreException("store scrub failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** The engine's way of {@link #scrub}, on the write connection outside a transaction. */
  abstract void scrub(Sql sql) throws SQLException;

  /** Runs {@code work} in a transaction on the write connection, under the write lock. */
  final <T> T writeLocked(ConnectedWork<T> work) {
    writeLock.lock();
    try {
      Connected c = writer();
      try {
        T result =
            inTransaction(
                c.sql().connection(),
                () -> {
                  c.sql().dialect().serializeWrites(c.sql());
                  T r = work.run(c);
                  beforeCommit(c);
                  return r;
                });
        if (c.tx().takeBatchesChanged()) {
          batchesChanged.set(true); // committed: the listeners hear of it after the lock
        }
        return result;
      } finally {
        c.tx().takeBatchesChanged(); // a rolled-back change is no change
        done(c);
      }
    } catch (SQLException e) {
      throw new StoreException("store write failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Work that may fail with an SQL error. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction on {@code c}: committed when it returns, rolled back when it
   * or the commit fails, so that a failed COMMIT (a full disk, say) never leaves a transaction open
   * for the next caller. A failure of the rollback, or of the return to auto-commit, is added to
   * the original one and never replaces it: after SQLITE_FULL, SQLite has rolled the transaction
   * back already, and both then fail with "no transaction is active", which hid the full disk.
   */
  static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    T result;
    try {
      result = work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      try {
        c.setAutoCommit(true);
      } catch (SQLException autoCommit) {
        e.addSuppressed(autoCommit);
      }
      throw e;
    }
    c.setAutoCommit(true);
    return result;
  }

  /** The write lock, which a group commit holds while it waits for its batch. */
  final ReentrantLock writeLock() {
    return writeLock;
  }

  @Override
  public final <T> T read(Work<T> work) {
    Connected c = reader();
    try {
      return work.run(c.tx());
    } finally {
      done(c);
    }
  }

  /** Closes the connections, after the write in progress. */
  @Override
  public final void close() {
    writeLock.lock();
    try {
      closeConnections();
    } finally {
      writeLock.unlock();
    }
  }

  /** Closes every connection (under the write lock). */
  abstract void closeConnections();
}
