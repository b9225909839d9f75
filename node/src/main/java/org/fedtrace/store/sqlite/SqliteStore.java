package org.fedtrace.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
import org.sqlite.SQLiteConfig;

/**
 * The {@link Store} on an SQLite database in WAL mode with {@code synchronous=FULL}, so a
 * transaction that returned has reached the disk and survives a crash of the process or the
 * machine: the embedded engine of {@code ./fedtrace simulate}, tests and small deployments.
 *
 * <p>One write connection, used under a lock, and a small pool of read connections (WAL lets
 * readers and the writer run at once). A store opened with {@link #openReadOnly} has one read
 * connection and no write connection. Thread-safe.
 */
public final class SqliteStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  private static final int READERS = 4;

  /**
   * Page size of a new database (an existing one keeps its own). A stored batch is a blob of some
   * hundred kilobytes; with 16 KiB pages instead of SQLite's default 4 KiB, writing and reading it
   * touches a quarter of the pages, which costs about a third less CPU per batch (measured by the
   * node benchmark, benchmarks/README.md), while small rows still cost one page per commit.
   */
  static final int PAGE_SIZE = 16_384;

  /** A connection with its statements and its tables. */
  record Connected(Sql sql, SqliteTransaction tx) {
    Connected(Sql sql) {
      this(sql, new SqliteTransaction(sql));
    }
  }

  private final Path file;
  private final Connected writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<Connected> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final GroupCommit groupCommit = new GroupCommit(this);
  private final long epoch;

  private SqliteStore(Path file, Connected writer, long epoch) {
    this.file = file;
    this.writer = writer;
    this.epoch = epoch;
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}.
   *
   * @throws StoreException if the folder cannot be created, the database cannot be opened, or it
   *     has a schema version this code does not know
   */
  public static SqliteStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + dataDir + ": " + e, e);
    }
    Path file = dataDir.resolve("fedtrace.db");
    try {
      Sql w = new Sql(connect(file, "PRAGMA page_size=" + PAGE_SIZE, "PRAGMA journal_mode=WAL"));
      SqliteStore store;
      try {
        w.execute(List.of("PRAGMA synchronous=FULL"));
        store =
            new SqliteStore(file, new Connected(w), SqliteSchema.migrate(w, new SecureRandom()));
      } catch (RuntimeException e) {
        w.close();
        throw e;
      }
      try {
        for (int i = 0; i < READERS; i++) {
          store.readers.add(new Connected(new Sql(connect(file, "PRAGMA query_only=1"))));
        }
      } catch (SQLException e) {
        store.close();
        throw e;
      }
      return store;
    } catch (SQLException | StoreException e) {
      throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an existing store for reading only, from another process than the node that writes it
   * (the simulator watches its nodes this way). Every write fails with {@link StoreException}.
   *
   * @throws StoreException if there is no store in {@code dataDir}, it cannot be opened, or it has
   *     a schema version this code does not know
   */
  public static SqliteStore openReadOnly(Path dataDir) {
    Path file = dataDir.resolve("fedtrace.db");
    if (!Files.isRegularFile(file)) {
      throw new StoreException("there is no store at " + file, null);
    }
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(10_000);
      Sql r = new Sql(DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties()));
      try {
        SqliteStore store = new SqliteStore(file, null, SqliteSchema.readMeta(r));
        store.readers.add(new Connected(r));
        return store;
      } catch (RuntimeException e) {
        r.close();
        throw e;
      }
    } catch (SQLException | StoreException e) {
      throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file, String... pragmas) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (var s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA foreign_keys=ON");
      for (String p : pragmas) {
        s.execute(p);
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public Batches.Insert insertBatch(
      NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
    return groupCommit.await(groupCommit.enqueue(batch, cursor, whenStored));
  }

  /** Queues a batch for the next group commit (tests look at groups this way). */
  GroupCommit.Pending enqueue(NewBatch batch, PeerCursor cursor) {
    return groupCommit.enqueue(batch, cursor, tx -> {});
  }

  /** The outcome of a queued batch once committed, committing the queue if no one else does. */
  Batches.Insert awaitCommit(GroupCommit.Pending p) {
    return groupCommit.await(p);
  }

  @Override
  public void addCommitListener(Runnable listener) {
    commitListeners.add(listener);
  }

  @Override
  public <T> T write(Work<T> work) {
    T result = writeLocked(work);
    committed();
    return result;
  }

  /** Tells the commit listeners about a commit; never under the write lock. */
  void committed() {
    for (Runnable r : commitListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("event=commit_listener_failed error=\"{}\"", e.getMessage(), e);
      }
    }
  }

  /** Runs {@code work} in a transaction on the write connection, under the write lock. */
  <T> T writeLocked(Work<T> work) {
    if (writer == null) {
      throw new StoreException("the store " + file + " is open read-only", null);
    }
    writeLock.lock();
    try {
      return inTransaction(writer.sql().connection(), () -> work.run(writer.tx()));
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
   * for the next caller. A failure of the rollback is added to the original one.
   */
  static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** The write lock, which a group commit holds while it waits for its batch. */
  ReentrantLock writeLock() {
    return writeLock;
  }

  /** The write connection's SQL, for the savepoints of a group commit (under the write lock). */
  Sql writerSql() {
    return writer.sql();
  }

  @Override
  public <T> T read(Work<T> work) {
    Connected c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
    try {
      return work.run(c.tx());
    } finally {
      readers.add(c);
    }
  }

  /** Closes the connections; waits for a write in progress to finish. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      for (Connected r : readers) {
        r.sql().close();
      }
      if (writer != null) {
        writer.sql().close();
      }
    } finally {
      writeLock.unlock();
    }
  }
}
