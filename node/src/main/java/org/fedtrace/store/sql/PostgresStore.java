package org.fedtrace.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on a PostgreSQL database, which several replicas of one operator's node share:
 * what a national operator runs in production. A pool of connections (HikariCP) serves reads and
 * writes; every write transaction takes the database's write lock first ({@link
 * Dialect#serializeWrites}), so the replicas' writes are serial as SQLite's are, and commits are
 * durable as PostgreSQL's are ({@code synchronous_commit} as the server sets it; keep it on).
 *
 * <p>Each commit that changed batches notifies the other replicas ({@code NOTIFY fedtrace_commit});
 * a listener connection hears theirs and calls this store's batch listeners, so that a subscriber
 * waiting on one replica learns at once of a batch stored through another. Thread-safe.
 */
public final class PostgresStore extends SqlStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

  /** The channel of commit notifications between replicas. */
  static final String CHANNEL = "fedtrace_commit";

  /**
   * Where the database is and how to log in.
   *
   * @param url a JDBC URL, {@code jdbc:postgresql://host:5432/database}
   * @param user the role to log in as
   * @param password its password, or empty for none (a trusted or certificate login)
   * @param poolSize the most connections this replica opens (reads run on all, writes on one)
   */
  public record Options(String url, String user, String password, int poolSize) {
    /** Checks the options. */
    public Options {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "a PostgreSQL store needs a URL jdbc:postgresql://host:port/database, got '"
                + url
                + "'");
      }
      if (poolSize < 2) {
        throw new IllegalArgumentException(
            "the pool needs at least 2 connections, got " + poolSize);
      }
      password = password == null ? "" : password;
      user = user == null ? "" : user;
    }

    @Override
    public String toString() {
      return "Options[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
  }

  private final Options options;
  private final HikariDataSource pool;
  private final String replica;
  private final Thread listener;
  private volatile boolean closed;

  private PostgresStore(Options options, HikariDataSource pool, String replica) {
    this.options = options;
    this.pool = pool;
    this.replica = replica;
    this.listener = new Thread(this::listen, "store-listener");
    listener.setDaemon(true);
  }

  /**
   * Connects to the database, creating or migrating the schema as needed (once, whichever replica
   * comes first).
   *
   * @throws StoreException if the database cannot be reached or logged into, or has a schema
   *     version this code does not know
   */
  public static PostgresStore open(Options options) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(options.url());
    if (!options.user().isEmpty()) {
      config.setUsername(options.user());
    }
    if (!options.password().isEmpty()) {
      config.setPassword(options.password());
    }
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setPoolName("fedtrace-store");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "fedtrace-node");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to the PostgreSQL store " + options.url() + ": " + rootMessage(e), e);
    }
    SecureRandom random = new SecureRandom();
    byte[] id = new byte[8];
    random.nextBytes(id);
    PostgresStore store = new PostgresStore(options, pool, HexFormat.of().formatHex(id));
    try {
      Connected c = store.writer();
      try {
        store.epoch(Schema.migrate(c.sql(), random));
      } finally {
        store.done(c);
      }
    } catch (RuntimeException e) {
      pool.close();
      throw new StoreException(
          "cannot open the PostgreSQL store " + options.url() + ": " + e.getMessage(), e);
    }
    store.listener.start();
    return store;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** Where this store's database is. */
  public Options options() {
    return options;
  }

  @Override
  Connected writer() {
    return borrow();
  }

  @Override
  Connected reader() {
    return borrow();
  }

  private Connected borrow() {
    if (closed) {
      throw new StoreException("the store is closed", null);
    }
    try {
      return new Connected(new Sql(pool.getConnection(), Dialect.POSTGRESQL));
    } catch (SQLException e) {
      throw new StoreException("no connection to the PostgreSQL store: " + e.getMessage(), e);
    }
  }

  @Override
  void done(Connected c) {
    c.sql().close(); // returns the connection to the pool
  }

  /** Tells the other replicas of a commit that changed batches (delivered when it commits). */
  @Override
  void beforeCommit(Connected c) {
    if (c.tx().batchesChanged()) {
      c.sql().one("SELECT pg_notify(?, ?)", rs -> Boolean.TRUE, CHANNEL, replica);
    }
  }

  /** Hears the commits of other replicas and passes them to the commit listeners. */
  private void listen() {
    while (!closed) {
      try (Connection c = listenerConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        batchesChangedElsewhere(); // what was committed while no one listened
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] heard = pg.getNotifications(500);
          if (heard == null) {
            continue;
          }
          for (PGNotification n : heard) {
            if (!replica.equals(n.getParameter())) {
              batchesChangedElsewhere();
              break;
            }
          }
        }
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        LOG.warn("event=store_listener_lost error=\"{}\" retry_in_ms=1000", e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private Connection listenerConnection() throws SQLException {
    Properties p = new Properties();
    if (!options.user().isEmpty()) {
      p.setProperty("user", options.user());
    }
    if (!options.password().isEmpty()) {
      p.setProperty("password", options.password());
    }
    p.setProperty("ApplicationName", "fedtrace-node-listener");
    return DriverManager.getConnection(options.url(), p);
  }

  /**
   * PostgreSQL leaves deleted rows in the table's files until the space is reused; VACUUM FULL
   * rewrites the tables that hold keys and observations into new files and deletes the old ones. It
   * locks each table while it copies it. The server's write-ahead log still holds the rows until
   * its segments are recycled (docs/deploy.md).
   */
  @Override
  void scrub(Sql sql) throws SQLException {
    Connection c = sql.connection();
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true); // VACUUM runs outside a transaction block
    try (Statement st = c.createStatement()) {
      st.execute(
          "VACUUM FULL batch, pending_key, peer_cursor, operator_observation, operator_exposure");
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  @Override
  void closeConnections() {
    closed = true;
    listener.interrupt();
    pool.close();
  }
}
