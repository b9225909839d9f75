package org.fedtrace.store.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
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
public final class SqliteStore extends SqlStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  private static final int READERS = 4;

  /**
   * Page size of a new database (an existing one keeps its own). A stored batch is a blob of some
   * hundred kilobytes; with 16 KiB pages instead of SQLite's default 4 KiB, writing and reading it
   * touches a quarter of the pages, which costs about a third less CPU per batch (measured by the
   * node benchmark, benchmarks/README.md), while small rows still cost one page per commit.
   */
  static final int PAGE_SIZE = 16_384;

  private final Path file;
  private final Connected writer;
  private final BlockingQueue<Connected> readers = new ArrayBlockingQueue<>(READERS);

  private SqliteStore(Path file, Connected writer) {
    this.file = file;
    this.writer = writer;
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
      // secure_delete: deleted rows and freed pages are overwritten with zeros, not left behind
      Sql w =
          sql(
              connect(
                  file,
                  true,
                  "PRAGMA page_size=" + PAGE_SIZE,
                  "PRAGMA journal_mode=WAL",
                  "PRAGMA secure_delete=ON"));
      SqliteStore store;
      try {
        w.execute(List.of("PRAGMA synchronous=FULL"));
        store = new SqliteStore(file, new Connected(w));
        store.epoch(Schema.migrate(w, new SecureRandom()));
      } catch (RuntimeException e) {
        w.close();
        throw e;
      }
      try {
        for (int i = 0; i < READERS; i++) {
          store.readers.add(new Connected(sql(connect(file, false, "PRAGMA query_only=1"))));
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
      Sql r = sql(DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties()));
      try {
        SqliteStore store = new SqliteStore(file, null);
        store.epoch(Schema.readMeta(r));
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

  private static Sql sql(Connection c) {
    return new Sql(c, Dialect.SQLITE);
  }

  /**
   * A connection to {@code file}; a writer's transactions begin IMMEDIATE, taking the file's write
   * lock first, so that writers of several processes on one file run one after the other (as on
   * PostgreSQL) instead of failing when one read before another wrote.
   */
  private static Connection connect(Path file, boolean writer, String... pragmas)
      throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (writer) {
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
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

  /** The database file. */
  public Path file() {
    return file;
  }

  /** The write connection's SQL (tests reach past the port with it). */
  Sql writerSql() {
    return writer().sql();
  }

  @Override
  Connected writer() {
    if (writer == null) {
      throw new StoreException("the store " + file + " is open read-only", null);
    }
    return writer;
  }

  @Override
  Connected reader() {
    try {
      return readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
  }

  @Override
  void done(Connected c) {
    if (c != writer) {
      readers.add(c);
    }
  }

  /**
   * Deleted content was zeroed in its pages as it was deleted (secure_delete); what remains is the
   * write-ahead log, which still holds the pages as they were before: a checkpoint copies every
   * page into the database file and truncates the log to nothing.
   */
  @Override
  void scrub(Sql sql) throws SQLException {
    try (Statement st = sql.connection().createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      if (rs.next() && rs.getInt(1) != 0) {
        // a reader held the log: the pages it pins stay until the next scrub
        LOG.warn("event=store_scrub_incomplete reason=\"a reader held the WAL\"");
      }
    }
  }

  @Override
  void closeConnections() {
    for (Connected r : readers) {
      r.sql().close();
    }
    if (writer != null) {
      writer.sql().close();
    }
  }
}
