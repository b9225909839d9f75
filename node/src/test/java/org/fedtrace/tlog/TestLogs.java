package org.fedtrace.tlog;

import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.ExchangeLog;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TestPki;

/**
 * Transparency logs of test members ("DE/op-de", "FR/op-fr", ...), each on its own SQLite file
 * under a folder, all on one settable clock. Closes its databases.
 */
final class TestLogs implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

  final SettableClock clock = new SettableClock(START);
  final TestPki pki = TestPki.create(START, 14);
  private final Path dir;
  private final Map<String, OperatorCredentials> members = new LinkedHashMap<>();
  private final List<SqliteLogDatabase> open = new ArrayList<>();

  TestLogs(Path dir, String... countries) {
    this.dir = dir;
    for (String c : countries) {
      members.put(c, pki.member(c, "op-" + c.toLowerCase(java.util.Locale.ROOT)));
    }
  }

  OperatorIdentity identity(String country) {
    return members.get(country).identity();
  }

  OperatorCredentials credentials(String country) {
    return members.get(country);
  }

  /** The database file of {@code country}'s log. */
  Path file(String country) {
    return dir.resolve(country + ".db");
  }

  /** Opens {@code country}'s database (again). */
  SqliteLogDatabase database(String country) {
    SqliteLogDatabase db = SqliteLogDatabase.open(file(country));
    open.add(db);
    return db;
  }

  /** Opens {@code country}'s log on {@code db}, signing with its batch-signing credential. */
  TransparencyLog log(String country, LogDatabase db) {
    OperatorCredentials c = members.get(country);
    try {
      return TransparencyLog.open(
          db,
          c.identity(),
          SigningKey.fromPrivateKey(c.signing().privateKey()),
          c.signing().certificate().getEncoded(),
          clock);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  TransparencyLog log(String country) {
    return log(country, database(country));
  }

  /** A content hash standing for batch {@code name}. */
  static byte[] batch(String name) {
    return Sha256.hash(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** How the auditor's report names batch {@code name}. */
  static String shortHex(String name) {
    return Auditor.shortHex(com.google.protobuf.ByteString.copyFrom(batch(name)));
  }

  /** Records that {@code from} delivered batch {@code name} of {@code origin} to {@code to}. */
  static void delivered(
      TransparencyLog from, TransparencyLog to, String name, String origin, int keys) {
    boolean own =
        from.origin().endsWith("/" + origin + "/op-" + origin.toLowerCase(java.util.Locale.ROOT));
    from.record(
        own ? ExchangeLog.Event.BATCH_SENT : ExchangeLog.Event.BATCH_FORWARDED,
        batch(name),
        origin,
        peer(to),
        keys,
        "");
    to.record(ExchangeLog.Event.BATCH_RECEIVED, batch(name), origin, peer(from), keys, "");
  }

  /** The peer string of a log's operator: "CC/op-cc". */
  static String peer(TransparencyLog log) {
    return log.origin().substring(Checkpoints.ORIGIN_PREFIX.length());
  }

  @Override
  public void close() {
    for (SqliteLogDatabase db : open) {
      db.close();
    }
  }

  /** A clock the test moves. */
  static final class SettableClock extends Clock {
    private Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    void set(Instant instant) {
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
