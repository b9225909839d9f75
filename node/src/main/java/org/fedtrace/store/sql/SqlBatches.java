package org.fedtrace.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.BatchRecord;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Page;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.StoredBatch;

/**
 * {@link Batches} in the {@code batch} table: one row per batch, its position the row id ({@code
 * AUTOINCREMENT}, so positions only grow), the payload set to NULL once the purge removed every
 * key, {@code servable} cleared once it removed some.
 */
final class SqlBatches implements Batches {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE batch ("
              + " position INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " origin TEXT NOT NULL,"
              + " batch_id BLOB NOT NULL,"
              + " sequence INTEGER NOT NULL,"
              + " created_unix_seconds INTEGER NOT NULL,"
              + " content_sha256 BLOB NOT NULL,"
              + " key_count INTEGER NOT NULL,"
              + " received_from TEXT,"
              + " received_unix_seconds INTEGER NOT NULL,"
              + " oldest_key_end_interval INTEGER NOT NULL,"
              + " payload BLOB,"
              + " servable INTEGER NOT NULL,"
              + " UNIQUE (origin, batch_id),"
              + " UNIQUE (origin, sequence))",
          "CREATE INDEX batch_oldest_key ON batch (oldest_key_end_interval)"
              + " WHERE payload IS NOT NULL");

  /** The columns {@link #stored} reads, in its order. */
  private static final String STORED =
      "position, origin, received_from, payload, content_sha256, key_count";

  private static final String SERVABLE =
      " servable = 1 AND payload IS NOT NULL AND oldest_key_end_interval >= ?";

  private final Sql sql;
  private final Runnable changed;

  /**
   * @param changed told of every change to the stored batches, in the transaction
   */
  SqlBatches(Sql sql, Runnable changed) {
    this.sql = sql;
    this.changed = changed;
  }

  @Override
  public Insert insert(NewBatch b) {
    if (isStored(b)) {
      return Insert.DUPLICATE;
    }
    if (sql.exists(
        "SELECT 1 FROM batch WHERE origin = ? AND sequence = ?", b.origin(), b.sequence())) {
      throw new RuleViolation(
          Rule.SEQUENCE_CONFLICT,
          "sequence "
              + Long.toUnsignedString(b.sequence())
              + " of origin "
              + b.origin()
              + " is already used by another batch");
    }
    sql.update(
        "INSERT INTO batch (origin, batch_id, sequence, created_unix_seconds, content_sha256,"
            + " key_count, received_from, received_unix_seconds, oldest_key_end_interval,"
            + " payload, servable, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        b.origin(),
        b.batchId(),
        b.sequence(),
        b.createdUnixSeconds(),
        b.contentSha256().bytes(),
        b.keyCount(),
        b.receivedFrom() == null ? null : b.receivedFrom().toString(),
        b.receivedUnixSeconds(),
        b.oldestKeyEndInterval(),
        b.payload(),
        b.scope());
    changed.run();
    return Insert.STORED;
  }

  @Override
  public boolean holds(NewBatch b) {
    return sql.exists(
        "SELECT 1 FROM batch WHERE origin = ? AND batch_id = ? AND content_sha256 = ?",
        b.origin(),
        b.batchId(),
        b.contentSha256().bytes());
  }

  /** Whether the same batch is stored; throws if its id is used for other content (R8.22). */
  private boolean isStored(NewBatch b) {
    Optional<byte[]> hash =
        sql.one(
            "SELECT content_sha256 FROM batch WHERE origin = ? AND batch_id = ?",
            rs -> rs.getBytes(1),
            b.origin(),
            b.batchId());
    if (hash.isEmpty()) {
      return false;
    }
    if (Arrays.equals(hash.get(), b.contentSha256().bytes())) {
      return true;
    }
    throw new RuleViolation(
        Rule.BATCH_ID_CONFLICT,
        "batch id already used by origin " + b.origin() + " for other content");
  }

  @Override
  public Page servableAfter(long position, int max, Recipient r) {
    long newest = lastPosition();
    List<Object> args = new ArrayList<>(List.of(position, newest));
    args.addAll(servableArgs(r));
    String origin = r.peerOrigin();
    args.addAll(List.of(origin, r.ownOrigin(), origin, r.forward(), r.peer().toString(), max));
    List<StoredBatch> batches =
        sql.list(
            "SELECT "
                + STORED
                + " FROM batch WHERE position > ? AND position <= ? AND"
                + servableWhere(r)
                // the recipient's own batches only when it asks, from whoever delivered them;
                // others when this node made them, or forwards and did not get them from it
                + " AND ((origin = ? AND ? = 1) OR (origin <> ?"
                + " AND (received_from IS NULL OR (? = 1 AND received_from <> ?))))"
                + " ORDER BY position LIMIT ?",
            SqlBatches::stored,
            args.toArray());
    return page(batches, max, position, newest);
  }

  /** The condition a servable batch meets (§1.3), with {@link #servableArgs} to bind. */
  private static String servableWhere(Recipient r) {
    // R25.10, R25.13: per scope, the origins the sharing terms and the caller's filter allow
    return SERVABLE
        + " AND created_unix_seconds >= ? AND ((scope = 1 AND "
        + in(r.origins().size())
        + ") OR (scope = 2 AND "
        + in(r.travellerOrigins().size())
        + "))";
  }

  /** {@code origin IN (?, ...)} for {@code n} countries; false for none. */
  private static String in(int n) {
    return n == 0
        ? "1 = 0"
        : "origin IN (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
  }

  private static List<Object> servableArgs(Recipient r) {
    List<Object> args = new ArrayList<>(List.of(r.windowStart(), r.createdFrom()));
    args.addAll(r.origins().stream().sorted().toList());
    args.addAll(r.travellerOrigins().stream().sorted().toList());
    return args;
  }

  @Override
  public Page withKeysAfter(long position, int max) {
    long newest = lastPosition();
    List<StoredBatch> batches =
        sql.list(
            "SELECT "
                + STORED
                + " FROM batch WHERE position > ? AND position <= ? AND payload IS NOT NULL"
                + " ORDER BY position LIMIT ?",
            SqlBatches::stored,
            position,
            newest,
            max);
    return page(batches, max, position, newest);
  }

  /**
   * A full page continues after its last batch; a shorter one saw every batch up to {@code newest},
   * read before the page, so that a batch committed in between is not skipped, and never goes back
   * before {@code position} (the newest batch may have been forgotten since the cursor passed it).
   */
  private static Page page(List<StoredBatch> batches, int max, long position, long newest) {
    long last =
        batches.size() == max
            ? batches.get(batches.size() - 1).position()
            : Math.max(position, newest);
    return new Page(batches, last);
  }

  @Override
  public Optional<StoredBatch> servable(String origin, byte[] batchId, Recipient r) {
    List<Object> args = new ArrayList<>(List.of(origin, batchId));
    args.addAll(servableArgs(r));
    return sql.one(
        "SELECT " + STORED + " FROM batch WHERE origin = ? AND batch_id = ? AND" + servableWhere(r),
        SqlBatches::stored,
        args.toArray());
  }

  @Override
  public long lastPosition() {
    return sql.number("SELECT COALESCE(MAX(position), 0) FROM batch");
  }

  @Override
  public long highestSequence(String origin) {
    return sql.number("SELECT COALESCE(MAX(sequence), 0) FROM batch WHERE origin = ?", origin);
  }

  @Override
  public List<StoredBatch> ofOrigin(String origin) {
    return sql.list(
        "SELECT "
            + STORED
            + " FROM batch WHERE origin = ? AND payload IS NOT NULL"
            + " ORDER BY position",
        SqlBatches::stored,
        origin);
  }

  @Override
  public long recordCount() {
    return sql.number("SELECT COUNT(*) FROM batch");
  }

  @Override
  public List<StoredBatch> withKeysEndingBefore(long cutoffInterval) {
    return sql.list(
        "SELECT "
            + STORED
            + " FROM batch WHERE payload IS NOT NULL"
            + " AND oldest_key_end_interval < ? ORDER BY position",
        SqlBatches::stored,
        cutoffInterval);
  }

  @Override
  public void replacePayload(long position, byte[] payload, int keyCount, long oldestKeyEnd) {
    changed.run();
    sql.update(
        "UPDATE batch SET payload = ?, key_count = ?, oldest_key_end_interval = ?, servable = 0"
            + " WHERE position = ?",
        payload,
        keyCount,
        oldestKeyEnd,
        position);
  }

  @Override
  public int forgetBefore(long createdBefore) {
    return sql.update(
        "DELETE FROM batch WHERE payload IS NULL AND created_unix_seconds < ?", createdBefore);
  }

  @Override
  public List<BatchRecord> foreign(String country) {
    return sql.list(
        "SELECT origin, content_sha256, key_count FROM batch WHERE origin <> ? ORDER BY position",
        rs -> new BatchRecord(rs.getString(1), Digest.of(rs.getBytes(2)), rs.getInt(3)),
        country);
  }

  @Override
  public void eraseForeign(String country) {
    changed.run();
    sql.update("DELETE FROM batch WHERE origin <> ?", country);
  }

  private static StoredBatch stored(ResultSet rs) throws SQLException {
    String from = rs.getString(3);
    return new StoredBatch(
        rs.getLong(1),
        rs.getString(2),
        from == null ? null : OperatorIdentity.parse(from),
        rs.getBytes(4),
        Digest.of(rs.getBytes(5)),
        rs.getInt(6));
  }
}
