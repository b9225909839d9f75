package org.fedtrace.testing;

import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.fedtrace.audit.ReportText;
import org.fedtrace.crypto.Digest;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TestPki;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.LogDatabase;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.TransparencyLog;

/**
 * Transparency logs of test members ("DE/op-de", "FR/op-fr", ...), each in a store of its own under
 * a folder, all on one settable clock. Closes its stores.
 */
public final class TestLogs implements AutoCloseable {
  /** The clock's start. */
  public static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

  /** The event types, by their short names. */
  public enum Event {
    BATCH_CREATED,
    BATCH_RECEIVED,
    BATCH_SENT,
    BATCH_FORWARDED,
    BATCH_REFUSED,
    BATCH_PURGED,
    SUNSET_ERASURE,
    UPLOAD_AUTHORIZED;

    EventType type() {
      return EventType.valueOf("EVENT_TYPE_" + name());
    }
  }

  /** The logs' clock. */
  public final SettableClock clock = new SettableClock(START);

  /** The members' PKI. */
  public final TestPki pki = TestPki.create(START, 14);

  private final Path dir;
  private final boolean postgres;
  private final Map<String, String> urls = new HashMap<>();
  private final Map<String, OperatorCredentials> members = new LinkedHashMap<>();
  private final List<Store> open = new ArrayList<>();
  private final Map<TransparencyLog, LogDatabase> databases = new IdentityHashMap<>();

  /** Members for {@code countries}, operator ids "op-cc", with their stores on SQLite. */
  public TestLogs(Path dir, String... countries) {
    this(dir, false, countries);
  }

  /** Members for {@code countries}, with their stores on PostgreSQL ({@link TestPostgres}). */
  public static TestLogs onPostgres(Path dir, String... countries) {
    return new TestLogs(dir, true, countries);
  }

  private TestLogs(Path dir, boolean postgres, String... countries) {
    this.dir = dir;
    this.postgres = postgres;
    for (String c : countries) {
      members.put(c, pki.member(c, "op-" + c.toLowerCase(Locale.ROOT)));
    }
  }

  /** The identity of {@code country}'s member. */
  public OperatorIdentity identity(String country) {
    return members.get(country).identity();
  }

  /** The credentials of {@code country}'s member. */
  public OperatorCredentials credentials(String country) {
    return members.get(country);
  }

  /** The database file of the store named {@code name} (a country for its own log). */
  public Path file(String name) {
    return dir.resolve(name).resolve("fedtrace.db");
  }

  /** A connection to the database of the store named {@code name}, past the store, to damage it. */
  public Connection connect(String name) throws SQLException {
    if (!postgres) {
      return DriverManager.getConnection("jdbc:sqlite:" + file(name));
    }
    Properties login = new Properties();
    login.setProperty("user", "postgres");
    return DriverManager.getConnection(url(name), login);
  }

  private String url(String name) {
    return urls.computeIfAbsent(name, n -> TestPostgres.newDatabase());
  }

  /** Opens the store named {@code name} (again) and returns its log storage. */
  public LogDatabase database(String name) {
    Store store =
        postgres
            ? PostgresStore.open(TestPostgres.options(url(name)))
            : SqliteStore.open(dir.resolve(name));
    open.add(store);
    return store.logDatabase();
  }

  /** Opens {@code country}'s log on {@code db}, signing with its batch-signing credential. */
  public TransparencyLog log(String country, LogDatabase db) {
    OperatorCredentials c = members.get(country);
    try {
      TransparencyLog log =
          TransparencyLog.open(
              db,
              c.identity(),
              SigningKey.fromPrivateKey(c.signing().privateKey()),
              c.signing().certificate().getEncoded(),
              clock);
      databases.put(log, db);
      return log;
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens {@code country}'s log in its own store. */
  public TransparencyLog log(String country) {
    return log(country, database(country));
  }

  /**
   * Appends an event to {@code log} in a transaction of its own.
   *
   * @param peer "CC/operator-id" or "" for none
   */
  public LogReceipt append(
      TransparencyLog log,
      Event event,
      byte[] subject,
      String origin,
      String peer,
      long keys,
      String reason) {
    LogEvent e = event(event, subject, origin, peer, keys, reason);
    return databases.get(log).write(s -> log.append(s, e));
  }

  /**
   * An event of any shape, as the tests write them.
   *
   * @param peer "CC/operator-id" or "" for none
   */
  public static LogEvent event(
      Event event, byte[] subject, String origin, String peer, long keys, String reason) {
    return new LogEvent(
        event.type(),
        Digest.of(subject),
        origin,
        peer.isEmpty() ? null : OperatorIdentity.parse(peer),
        keys,
        reason);
  }

  /** Like {@link #append}, returning the entry's index. */
  public long record(
      TransparencyLog log,
      Event event,
      byte[] subject,
      String origin,
      String peer,
      long keys,
      String reason) {
    return append(log, event, subject, origin, peer, keys, reason).getLeafIndex();
  }

  /** A content hash standing for batch {@code name}. */
  public static byte[] batch(String name) {
    return Sha256.hash(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** How the auditor's report names batch {@code name}. */
  public static String shortHex(String name) {
    return ReportText.shortHex(com.google.protobuf.ByteString.copyFrom(batch(name)));
  }

  /** Records that {@code from} delivered batch {@code name} of {@code origin} to {@code to}. */
  public void delivered(
      TransparencyLog from, TransparencyLog to, String name, String origin, int keys) {
    boolean own = from.origin().endsWith("/" + origin + "/op-" + origin.toLowerCase(Locale.ROOT));
    record(
        from,
        own ? Event.BATCH_SENT : Event.BATCH_FORWARDED,
        batch(name),
        origin,
        peer(to),
        keys,
        "");
    record(to, Event.BATCH_RECEIVED, batch(name), origin, peer(from), keys, "");
  }

  /** The peer string of a log's operator: "CC/op-cc". */
  public static String peer(TransparencyLog log) {
    return log.origin().substring(Checkpoints.ORIGIN_PREFIX.length());
  }

  @Override
  public void close() {
    for (Store s : open) {
      s.close();
    }
  }

  /** A clock the test moves. */
  public static final class SettableClock extends Clock {
    private Instant now;

    public SettableClock(Instant now) {
      this.now = now;
    }

    /** Moves the clock on by {@code d}. */
    public void advance(Duration d) {
      now = now.plus(d);
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
