package org.fedtrace.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL server the benchmark's nodes keep their stores on: a given one, or an embedded
 * server (the binaries Maven serves) on this machine, durable as PostgreSQL is by default ({@code
 * fsync}, {@code synchronous_commit} and {@code full_page_writes} on, which the embedded server
 * turns off unless told). Also reads the CPU time its processes used, which the JVM's own figures
 * leave out.
 */
final class BenchPostgres implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final String base;
  private final String user;
  private final String password;
  private int databases;

  private BenchPostgres(EmbeddedPostgres embedded, String base, String user, String password) {
    this.embedded = embedded;
    this.base = base.endsWith("/") ? base : base + "/";
    this.user = user;
    this.password = password;
  }

  /** A server at {@code url} ({@code jdbc:postgresql://host:port/}), or an embedded one if null. */
  static BenchPostgres open(String url, String user, Path passwordFile, Path folder)
      throws IOException {
    String password = passwordFile == null ? "" : Files.readString(passwordFile).strip();
    if (url != null) {
      return new BenchPostgres(null, url, user, password);
    }
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(folder)
            .setCleanDataDirectory(true)
            // the embedded server's own defaults turn durability off; a commit must reach the disk
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "100")
            .setServerConfig("shared_buffers", "512MB")
            .start();
    return new BenchPostgres(
        pg, "jdbc:postgresql://localhost:" + pg.getPort() + "/", "postgres", "");
  }

  /** A new database; returns the node's {@code store:} block for it. */
  String newStore(int poolSize) throws SQLException {
    String name = "fedtrace_bench_" + (++databases) + "_" + ProcessHandle.current().pid();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return String.join(
        "\n",
        "store:",
        "  kind: postgresql",
        "  url: " + base + name,
        "  user: " + user,
        "  password: \"" + password + "\"",
        "  poolSize: " + poolSize,
        "");
  }

  /** The server's version and durability settings, for the report. */
  String describe() throws SQLException {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      StringBuilder out = new StringBuilder(embedded != null ? "embedded " : "given ");
      for (String q :
          new String[] {"server_version", "fsync", "synchronous_commit", "shared_buffers"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + q)) {
          rs.next();
          out.append(q).append('=').append(rs.getString(1)).append(' ');
        }
      }
      return out.toString().trim();
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (!password.isEmpty()) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(base + database, p);
  }

  /**
   * CPU seconds used so far by every process named {@code postgres} on this machine (user and
   * system time, from /proc), or NaN where /proc cannot tell.
   */
  static double serverCpuSeconds() {
    double ticks = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String comm = stat.substring(stat.indexOf('(') + 1, close);
          if (!comm.equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException gone) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / 100.0; // USER_HZ is 100 on Linux
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
