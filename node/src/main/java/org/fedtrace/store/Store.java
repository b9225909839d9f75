package org.fedtrace.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.tlog.NoticeUploads;
import org.fedtrace.tlog.SqliteNoticeUploads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The node's durable store: an SQLite database in WAL mode with {@code synchronous=FULL}, so a
 * transaction that returned has reached the disk and survives a crash of the process or the
 * machine.
 *
 * <p>Every batch the node holds (its own and received ones) has a local <em>position</em> in
 * arrival order; positions are what subscription cursors point at. The seen-batch record (origin,
 * batch id, sequence, content hash) outlives the keys, so a replay is recognized after a purge.
 *
 * <p>One write connection, used under a lock; a small pool of read connections. Thread-safe. A
 * store opened with {@link #openReadOnly} has one read connection and no write connection.
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 3;

  private static final int READERS = 4;

  /**
   * Page size of a new database (an existing one keeps its own). A stored batch is a blob of some
   * hundred kilobytes; with 16 KiB pages instead of SQLite's default 4 KiB, writing and reading it
   * touches a quarter of the pages, which costs about a third less CPU per batch (measured by the
   * node benchmark, benchmarks/README.md), while small rows still cost one page per commit.
   */
  static final int PAGE_SIZE = 16_384;

  /** Most batches committed in one transaction. */
  private static final int MAX_GROUP = 64;

  private final Path file;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
  private final Queue<PendingInsert> pendingInserts = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final long epoch;

  private Store(Path file, Connection writer, long epoch) {
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
  public static Store open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + dataDir + ": " + e, e);
    }
    Path file = dataDir.resolve("fedtrace.db");
    try {
      Connection w = connect(file);
      try (Statement s = w.createStatement()) {
        s.execute("PRAGMA page_size=" + PAGE_SIZE);
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
      }
      long epoch = Schema.migrate(w, new SecureRandom());
      Store store = new Store(file, w, epoch);
      for (int i = 0; i < READERS; i++) {
        Connection r = connect(file);
        try (Statement s = r.createStatement()) {
          s.execute("PRAGMA query_only=1");
        }
        store.readers.add(r);
      }
      return store;
    } catch (SQLException e) {
      throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an existing store for reading only, from another process than the node that writes it
   * (the simulator watches its nodes this way; WAL mode lets readers and the writer run at once).
   * Every write method throws {@link StoreException}.
   *
   * @throws StoreException if there is no store in {@code dataDir}, it cannot be opened, or it has
   *     a schema version this code does not know
   */
  public static Store openReadOnly(Path dataDir) {
    Path file = dataDir.resolve("fedtrace.db");
    if (!Files.isRegularFile(file)) {
      throw new StoreException("there is no store at " + file, null);
    }
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(10_000);
      Connection r = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      try {
        Store store = new Store(file, null, Schema.readMeta(r));
        store.readers.add(r);
        return store;
      } catch (SQLException | RuntimeException e) {
        r.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA foreign_keys=ON");
    }
    return c;
  }

  /**
   * Work that must commit together with a store change: the node appends the change's
   * transparency-log entry here, so an event and its log entry are durable together or not at all.
   */
  @FunctionalInterface
  public interface InTransaction {
    /** Runs on the store's write connection, inside the transaction. */
    void run(Connection c) throws SQLException;
  }

  /** Does nothing in the transaction. */
  public static final InTransaction NOTHING = c -> {};

  /** Runs {@code work} in a write transaction of its own (for the transparency log). */
  public <T> T inWriteTransaction(Work<T> work) {
    return write(work);
  }

  /** Runs {@code work} on a read connection (for the transparency log). */
  public <T> T inReadTransaction(Work<T> work) {
    return read(work);
  }

  /** Random id of this database, fixed at creation; cursors carry it. */
  public long epoch() {
    return epoch;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Stores a batch, or recognizes it as already stored, in one transaction that also advances the
   * cursor of the peer it came from (so progress and data never disagree after a crash).
   *
   * <p>Returns only after that transaction is durably committed. Batches that callers insert while
   * another commit is in progress are committed together in the next transaction (group commit),
   * one savepoint each, so that a refused batch leaves the others of its group unaffected and one
   * fsync covers them all.
   *
   * @param cursorUpdate the sync cursor to store with the batch, or null
   * @return {@link Insert#STORED} or {@link Insert#DUPLICATE} (same origin, id and content)
   * @throws RuleViolation {@link Rule#BATCH_ID_CONFLICT} for the same id with other content, {@link
   *     Rule#SEQUENCE_CONFLICT} for a sequence number used by another batch
   */
  public Insert insertBatch(NewBatch batch, PeerCursor cursorUpdate) {
    return insertBatch(batch, cursorUpdate, NOTHING);
  }

  /**
   * Like {@link #insertBatch(NewBatch, PeerCursor)}, running {@code whenStored} in the same
   * transaction when the batch is newly stored.
   */
  public Insert insertBatch(NewBatch batch, PeerCursor cursorUpdate, InTransaction whenStored) {
    return awaitCommit(enqueue(batch, cursorUpdate, whenStored));
  }

  /** Queues a batch for the next group commit. */
  PendingInsert enqueue(NewBatch batch, PeerCursor cursorUpdate) {
    return enqueue(batch, cursorUpdate, NOTHING);
  }

  private PendingInsert enqueue(NewBatch batch, PeerCursor cursorUpdate, InTransaction stored) {
    PendingInsert p = new PendingInsert(batch, cursorUpdate, stored);
    pendingInserts.add(p);
    return p;
  }

  /**
   * Returns the outcome of {@code p} once it is committed, committing the queued batches first when
   * no other thread has done so.
   */
  Insert awaitCommit(PendingInsert p) {
    writeLock.lock();
    try {
      while (!p.done) {
        commitPendingInserts();
      }
    } finally {
      writeLock.unlock();
    }
    committed();
    if (p.failure != null) {
      throw p.failure;
    }
    return p.result;
  }

  /** A batch waiting for a group commit, and its outcome once committed (under the write lock). */
  static final class PendingInsert {
    final NewBatch batch;
    final PeerCursor cursor;
    final InTransaction whenStored;
    boolean done;
    Insert result;
    RuntimeException failure;

    PendingInsert(NewBatch batch, PeerCursor cursor, InTransaction whenStored) {
      this.batch = batch;
      this.cursor = cursor;
      this.whenStored = whenStored;
    }
  }

  /** Commits up to {@value #MAX_GROUP} waiting inserts in one transaction; holds the write lock. */
  private void commitPendingInserts() {
    List<PendingInsert> group = new ArrayList<>();
    for (PendingInsert p = pendingInserts.poll(); p != null; p = pendingInserts.poll()) {
      group.add(p);
      if (group.size() == MAX_GROUP) {
        break;
      }
    }
    try {
      writeLocked(
          c -> {
            for (PendingInsert p : group) {
              insertOne(c, p, group.size() > 1);
            }
            return null;
          });
    } catch (RuntimeException e) {
      for (PendingInsert p : group) {
        p.failure = e;
      }
    }
    for (PendingInsert p : group) {
      p.done = true;
    }
  }

  /**
   * Inserts one batch of a group; with {@code savepoint}, a refusal rolls back only this batch and
   * is kept as its outcome, else it rolls back the transaction.
   */
  private void insertOne(Connection c, PendingInsert p, boolean savepoint) throws SQLException {
    Savepoint sp = savepoint ? c.setSavepoint() : null;
    try {
      p.result = insertBatchIn(c, p.batch);
      if (p.result == Insert.STORED) {
        p.whenStored.run(c);
      }
      if (p.cursor != null) {
        putCursor(c, p.cursor);
      }
    } catch (RuleViolation v) {
      if (sp == null) {
        throw v;
      }
      c.rollback(sp);
      p.result = null;
      p.failure = v;
    }
    if (sp != null) {
      c.releaseSavepoint(sp);
    }
  }

  /**
   * Publishes one of the node's own batches and removes the pending keys it was made of, in one
   * transaction.
   */
  public void insertOwnBatch(
      NewBatch batch, long[] consumedPendingIds, InTransaction beforeConsume) {
    write(
        c -> {
          if (insertBatchIn(c, batch) != Insert.STORED) {
            throw new StoreException("own batch " + batch.origin() + " already stored", null);
          }
          beforeConsume.run(c);
          try (PreparedStatement del = c.prepareStatement("DELETE FROM pending_key WHERE id = ?")) {
            for (long id : consumedPendingIds) {
              del.setLong(1, id);
              del.addBatch();
            }
            del.executeBatch();
          }
          return null;
        });
  }

  private static final String SELECT_BATCH_HASH =
      "SELECT content_sha256 FROM batch WHERE origin = ? AND batch_id = ?";
  private static final String SELECT_SEQUENCE =
      "SELECT 1 FROM batch WHERE origin = ? AND sequence = ?";
  private static final String INSERT_BATCH =
      "INSERT INTO batch (origin, batch_id, sequence, created_unix_seconds, content_sha256,"
          + " key_count, received_from, received_unix_seconds, oldest_key_end_interval, payload,"
          + " servable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";

  private Insert insertBatchIn(Connection c, NewBatch b) throws SQLException {
    if (isStored(c, b)) {
      return Insert.DUPLICATE;
    }
    requireUnusedSequence(c, b);
    PreparedStatement ins = writerStatement(c, INSERT_BATCH);
    ins.setString(1, b.origin());
    ins.setBytes(2, b.batchId());
    ins.setLong(3, b.sequence());
    ins.setLong(4, b.createdUnixSeconds());
    ins.setBytes(5, b.contentSha256());
    ins.setInt(6, b.keyCount());
    ins.setString(7, b.receivedFrom());
    ins.setLong(8, b.receivedUnixSeconds());
    ins.setLong(9, b.oldestKeyEndInterval());
    ins.setBytes(10, b.payload());
    ins.executeUpdate();
    return Insert.STORED;
  }

  /** Whether the same batch is stored; throws if its id is used for other content (R8.22). */
  private boolean isStored(Connection c, NewBatch b) throws SQLException {
    PreparedStatement q = writerStatement(c, SELECT_BATCH_HASH);
    q.setString(1, b.origin());
    q.setBytes(2, b.batchId());
    try (ResultSet rs = q.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
      if (Arrays.equals(rs.getBytes(1), b.contentSha256())) {
        return true;
      }
      throw new RuleViolation(
          Rule.BATCH_ID_CONFLICT,
          "batch id already used by origin " + b.origin() + " for other content");
    }
  }

  /** R8.23: the sequence number is not used by another batch of the origin. */
  private void requireUnusedSequence(Connection c, NewBatch b) throws SQLException {
    PreparedStatement q = writerStatement(c, SELECT_SEQUENCE);
    q.setString(1, b.origin());
    q.setLong(2, b.sequence());
    try (ResultSet rs = q.executeQuery()) {
      if (rs.next()) {
        throw new RuleViolation(
            Rule.SEQUENCE_CONFLICT,
            "sequence "
                + Long.toUnsignedString(b.sequence())
                + " of origin "
                + b.origin()
                + " is already used by another batch");
      }
    }
  }

  /** Outcome of {@link #insertBatch}. */
  public enum Insert {
    /** Newly stored. */
    STORED,
    /** The same batch was already stored; nothing changed. */
    DUPLICATE
  }

  /**
   * Up to {@code max} servable batches after {@code position}, oldest first, leaving out batches of
   * origin {@code excludeOrigin} and batches received from {@code excludePeer}.
   *
   * @return the batches found and the position to continue after (the last position examined)
   */
  public Page batchesAfter(
      long position, int max, String excludeOrigin, String excludePeer, boolean ownOnly) {
    return batchesAfter(position, max, excludeOrigin, excludePeer, ownOnly, Long.MIN_VALUE);
  }

  /**
   * Like {@link #batchesAfter(long, int, String, String, boolean)}, also leaving out batches with a
   * key whose validity ended before interval {@code windowStart} (past retention, spec §1.3), even
   * before the purge has removed that key.
   */
  public Page batchesAfter(
      long position,
      int max,
      String excludeOrigin,
      String excludePeer,
      boolean ownOnly,
      long windowStart) {
    return read(
        c -> {
          List<StoredBatch> out = new ArrayList<>();
          long last = position;
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + STORED_COLUMNS
                      + ", servable, oldest_key_end_interval FROM batch WHERE position > ?"
                      + " ORDER BY position LIMIT ?")) {
            q.setLong(1, position);
            q.setInt(2, max * 4);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next() && out.size() < max) {
                last = rs.getLong(1);
                String origin = rs.getString(2);
                String from = rs.getString(3);
                boolean servable = rs.getInt(7) == 1 && rs.getLong(8) >= windowStart;
                if (servable
                    && !origin.equals(excludeOrigin)
                    && (from == null || (!ownOnly && !from.equals(excludePeer)))) {
                  StoredBatch b = stored(rs);
                  if (b.payload() != null) {
                    out.add(b);
                  }
                }
              }
            }
          }
          return new Page(out, last);
        });
  }

  /**
   * Up to {@code max} batches after {@code position} that still hold keys, servable or not (a batch
   * that lost keys to the purge is no longer served but its other keys still count), oldest first:
   * what operator-assisted matching follows.
   *
   * @return the batches found and the position to continue after (the last position examined)
   */
  public Page batchesWithKeysAfter(long position, int max) {
    return read(
        c -> {
          List<StoredBatch> out = new ArrayList<>();
          long last = position;
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + STORED_COLUMNS
                      + " FROM batch WHERE position > ? ORDER BY position LIMIT ?")) {
            q.setLong(1, position);
            q.setInt(2, max);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                last = rs.getLong(1);
                StoredBatch b = stored(rs);
                if (b.payload() != null) {
                  out.add(b);
                }
              }
            }
          }
          return new Page(out, last);
        });
  }

  /** The columns {@link #stored} reads, in its order. */
  private static final String STORED_COLUMNS =
      "position, origin, received_from, payload, content_sha256, key_count";

  private static StoredBatch stored(ResultSet rs) throws SQLException {
    return new StoredBatch(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getBytes(4),
        rs.getBytes(5),
        rs.getInt(6));
  }

  /** A page of {@link #batchesAfter}. */
  public record Page(List<StoredBatch> batches, long lastPosition) {}

  /** The stored payload of one servable batch. */
  public Optional<StoredBatch> batch(String origin, byte[] batchId, long windowStart) {
    return read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + STORED_COLUMNS
                      + " FROM batch WHERE origin = ? AND batch_id = ? AND servable = 1"
                      + " AND payload IS NOT NULL AND oldest_key_end_interval >= ?")) {
            q.setString(1, origin);
            q.setBytes(2, batchId);
            q.setLong(3, windowStart);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Position of the newest batch, or 0 when the store holds none. */
  public long lastPosition() {
    return read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(position), 0) FROM batch")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The highest sequence number stored for {@code origin}, or 0. */
  public long highestSequence(String origin) {
    return read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT COALESCE(MAX(sequence), 0) FROM batch WHERE origin = ?")) {
            q.setString(1, origin);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Payloads of all batches of {@code origin} still holding keys, oldest first. */
  public List<StoredBatch> batchesOf(String origin) {
    return read(
        c -> {
          List<StoredBatch> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + STORED_COLUMNS
                      + " FROM batch WHERE origin = ? AND payload IS NOT NULL ORDER BY position")) {
            q.setString(1, origin);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(stored(rs));
              }
            }
          }
          return out;
        });
  }

  /** Number of stored batch records (including purged ones still remembered). */
  public long batchRecordCount() {
    return read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM batch")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  // ---- agreement versions ------------------------------------------------------------------

  /**
   * Records that the node runs agreement {@code version} with file hash {@code sha256}, refusing a
   * rollback (spec R2.5): a version lower than one loaded before, or the same version with other
   * bytes.
   *
   * @throws StoreException naming the conflict
   */
  public void recordAgreement(long version, byte[] sha256) {
    write(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM agreement_seen")) {
            rs.next();
            long highest = rs.getLong(1);
            if (version < highest) {
              throw new StoreException(
                  "agreement version "
                      + version
                      + " is older than version "
                      + highest
                      + " this node ran before; refusing to roll back",
                  null);
            }
          }
          try (PreparedStatement q =
              c.prepareStatement("SELECT sha256 FROM agreement_seen WHERE version = ?")) {
            q.setLong(1, version);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                if (!Arrays.equals(rs.getBytes(1), sha256)) {
                  throw new StoreException(
                      "agreement version "
                          + version
                          + " differs from the version "
                          + version
                          + " this node ran before",
                      null);
                }
                return null;
              }
            }
          }
          try (PreparedStatement ins =
              c.prepareStatement("INSERT INTO agreement_seen (version, sha256) VALUES (?, ?)")) {
            ins.setLong(1, version);
            ins.setBytes(2, sha256);
            ins.executeUpdate();
          }
          return null;
        });
  }

  // ---- sync cursors -------------------------------------------------------------------------

  /** The stored sync cursor for {@code peer}, if any. */
  public Optional<byte[]> cursor(String peer) {
    return read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT cursor FROM peer_cursor WHERE peer = ?")) {
            q.setString(1, peer);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
          }
        });
  }

  /** Stores a sync cursor alone (for messages that carried no batch, such as heartbeats). */
  public void putCursor(PeerCursor cursor) {
    putCursor(cursor, NOTHING);
  }

  /** Stores a sync cursor and runs {@code alsoRun} in the same transaction. */
  public void putCursor(PeerCursor cursor, InTransaction alsoRun) {
    write(
        c -> {
          putCursor(c, cursor);
          alsoRun.run(c);
          return null;
        });
  }

  private void putCursor(Connection c, PeerCursor cursor) throws SQLException {
    PreparedStatement up =
        writerStatement(
            c,
            "INSERT INTO peer_cursor (peer, cursor) VALUES (?, ?)"
                + " ON CONFLICT(peer) DO UPDATE SET cursor = excluded.cursor");
    up.setString(1, cursor.peer());
    up.setBytes(2, cursor.cursor());
    up.executeUpdate();
  }

  /** A peer's sync cursor. */
  public record PeerCursor(String peer, byte[] cursor) {}

  /** The upload whose notice commitment is {@code commitment} (for the notice query). */
  public Optional<NoticeUploads.Upload> noticeUpload(byte[] commitment) {
    return read(c -> new SqliteNoticeUploads(c).find(commitment));
  }

  // ---- pending keys of local uploads ------------------------------------------------------

  /**
   * Records the use of an upload authorization and the keys it covers, in one transaction.
   *
   * @throws RuleViolation {@link Rule#AUTHORIZATION_USED} when the authorization was used before
   */
  public void acceptUpload(
      byte[] authorizationId,
      long expiresUnixSeconds,
      long nowUnixSeconds,
      List<byte[]> keys,
      byte[] noticeCommitment,
      InTransaction whenAccepted) {
    write(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM used_authorization WHERE authorization_id = ?")) {
            q.setBytes(1, authorizationId);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                throw new RuleViolation(
                    Rule.AUTHORIZATION_USED,
                    "the authorization was already used; its keys are stored");
              }
            }
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO used_authorization (authorization_id, expires_unix_seconds,"
                      + " used_unix_seconds, notice_commitment) VALUES (?, ?, ?, ?)")) {
            ins.setBytes(1, authorizationId);
            ins.setLong(2, expiresUnixSeconds);
            ins.setLong(3, nowUnixSeconds);
            ins.setBytes(4, noticeCommitment);
            ins.executeUpdate();
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO pending_key (authorization_id, accepted_unix_seconds, key)"
                      + " VALUES (?, ?, ?)")) {
            for (byte[] k : keys) {
              ins.setBytes(1, authorizationId);
              ins.setLong(2, nowUnixSeconds);
              ins.setBytes(3, k);
              ins.addBatch();
            }
            ins.executeBatch();
          }
          whenAccepted.run(c);
          return null;
        });
  }

  /** Keys accepted from uploads and not yet published, oldest first. */
  public List<PendingKey> pendingKeys() {
    return read(
        c -> {
          List<PendingKey> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT id, accepted_unix_seconds, key, authorization_id FROM pending_key"
                          + " ORDER BY id")) {
            while (rs.next()) {
              out.add(new PendingKey(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4)));
            }
          }
          return out;
        });
  }

  /**
   * A key accepted from an upload, waiting to be published in a batch.
   *
   * @param authorizationId the id of the authorization it was uploaded under: one per upload, so
   *     the batching policy can count the uploads a batch would mix
   */
  public record PendingKey(long id, long acceptedUnixSeconds, byte[] key, byte[] authorizationId) {}

  // ---- retention and sunset ------------------------------------------------------------------

  /**
   * Batches holding a key whose validity ended before {@code cutoffInterval}: the purge reads them,
   * drops those keys and calls {@link #replacePayload}.
   */
  public List<StoredBatch> batchesWithKeysEndingBefore(long cutoffInterval) {
    return read(
        c -> {
          List<StoredBatch> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT "
                      + STORED_COLUMNS
                      + " FROM batch WHERE payload IS NOT NULL AND oldest_key_end_interval < ?")) {
            q.setLong(1, cutoffInterval);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(stored(rs));
              }
            }
          }
          return out;
        });
  }

  /**
   * Replaces a batch's payload after a purge: with the remaining keys (the batch can no longer be
   * verified, so it is no longer served) or with nothing when no key remains.
   */
  public void replacePayload(
      long position, byte[] payload, int keyCount, long oldestKeyEnd, InTransaction alsoRun) {
    write(
        c -> {
          try (PreparedStatement up =
              c.prepareStatement(
                  "UPDATE batch SET payload = ?, key_count = ?, oldest_key_end_interval = ?,"
                      + " servable = 0 WHERE position = ?")) {
            up.setBytes(1, payload);
            up.setInt(2, keyCount);
            up.setLong(3, oldestKeyEnd);
            up.setLong(4, position);
            up.executeUpdate();
          }
          alsoRun.run(c);
          return null;
        });
  }

  /**
   * Forgets batch records created before {@code createdBefore} whose keys are all gone, and
   * authorizations that expired before it.
   *
   * @return the number of batch records removed
   */
  public int forgetBefore(long createdBefore) {
    return write(
        c -> {
          int n;
          try (PreparedStatement del =
              c.prepareStatement(
                  "DELETE FROM batch WHERE payload IS NULL AND created_unix_seconds < ?")) {
            del.setLong(1, createdBefore);
            n = del.executeUpdate();
          }
          try (PreparedStatement del =
              c.prepareStatement("DELETE FROM used_authorization WHERE expires_unix_seconds < ?")) {
            del.setLong(1, createdBefore);
            del.executeUpdate();
          }
          new SqliteNoticeUploads(c).forgetUnreferenced();
          return n;
        });
  }

  /** Told about each batch a sunset erasure removes, inside the erasure's transaction. */
  @FunctionalInterface
  public interface ErasedBatch {
    /** One erased batch record. */
    void erased(Connection c, String origin, byte[] contentSha256, int keyCount)
        throws SQLException;
  }

  /**
   * Erases every batch whose origin is not {@code ownCountry}, including the records, and every
   * sync cursor, telling {@code eachErased} about each in the same transaction.
   *
   * @return batches erased and keys they held
   */
  public long[] eraseForeign(String ownCountry, ErasedBatch eachErased) {
    return write(
        c -> {
          long batches = 0;
          long keys = 0;
          List<Object[]> erased = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT origin, content_sha256, key_count FROM batch WHERE origin <> ?"
                      + " ORDER BY position")) {
            q.setString(1, ownCountry);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                erased.add(new Object[] {rs.getString(1), rs.getBytes(2), rs.getInt(3)});
                batches++;
                keys += rs.getInt(3);
              }
            }
          }
          for (Object[] e : erased) {
            eachErased.erased(c, (String) e[0], (byte[]) e[1], (Integer) e[2]);
          }
          try (PreparedStatement del = c.prepareStatement("DELETE FROM batch WHERE origin <> ?")) {
            del.setString(1, ownCountry);
            del.executeUpdate();
          }
          try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM peer_cursor");
          }
          return new long[] {batches, keys};
        });
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /**
   * A statement of the write connection, prepared once and reused (SQLite compiles every statement
   * it prepares). Only under the write lock; never closed by the caller.
   */
  private PreparedStatement writerStatement(Connection c, String sql) throws SQLException {
    if (c != writer) {
      throw new IllegalStateException("only the write connection caches statements");
    }
    PreparedStatement s = writerStatements.get(sql);
    if (s == null) {
      s = c.prepareStatement(sql);
      writerStatements.put(sql, s);
    }
    return s;
  }

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Calls {@code listener} after every write transaction this store commits, outside the store's
   * locks, on the committing thread: a way to wait for the store to change without polling it (the
   * simulator and tests do). A listener must be quick; what it throws is logged and ignored.
   */
  public void addCommitListener(Runnable listener) {
    commitListeners.add(listener);
  }

  <T> T write(Work<T> work) {
    T result = writeLocked(work);
    committed();
    return result;
  }

  private void committed() {
    for (Runnable r : commitListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("event=commit_listener_failed error=\"{}\"", e.getMessage(), e);
      }
    }
  }

  private <T> T writeLocked(Work<T> work) {
    if (writer == null) {
      throw new StoreException("the store " + file + " is open read-only", null);
    }
    writeLock.lock();
    try {
      writer.setAutoCommit(false);
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("store write failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  <T> T read(Work<T> work) {
    Connection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("store read failed: " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  /** Closes the connections; waits for a write in progress to finish. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      for (Connection r : readers) {
        r.close();
      }
      for (PreparedStatement s : writerStatements.values()) {
        s.close();
      }
      if (writer != null) {
        writer.close();
      }
    } catch (SQLException e) {
      throw new StoreException("closing the store failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }
}
