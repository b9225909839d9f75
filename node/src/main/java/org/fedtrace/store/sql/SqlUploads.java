package org.fedtrace.store.sql;

import java.util.List;
import java.util.stream.LongStream;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Uploads;

/**
 * {@link Uploads} in the {@code used_authorization} table (one row per authorization used, with the
 * upload's notice commitment) and the {@code pending_key} table (keys waiting for a batch).
 */
final class SqlUploads implements Uploads {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE used_authorization ("
              + " authorization_id BLOB PRIMARY KEY,"
              + " expires_unix_seconds INTEGER NOT NULL,"
              + " used_unix_seconds INTEGER NOT NULL,"
              + " notice_commitment BLOB)",
          "CREATE TABLE pending_key ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " authorization_id BLOB NOT NULL,"
              + " accepted_unix_seconds INTEGER NOT NULL,"
              + " key BLOB NOT NULL)");

  /**
   * Schema 7: the scope of each pending key and stored batch (spec §25); keys of 0.7 uploads
   * federate, and every batch stored before is format 1, whose scope is FEDERATE.
   */
  static final List<String> DDL_V7 =
      List.of(
          "ALTER TABLE pending_key ADD COLUMN scope INTEGER NOT NULL DEFAULT 1",
          "ALTER TABLE batch ADD COLUMN scope INTEGER NOT NULL DEFAULT 1");

  private final Sql sql;

  SqlUploads(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void accept(AcceptedUpload u) {
    if (sql.exists(
        "SELECT 1 FROM used_authorization WHERE authorization_id = ?", u.authorizationId())) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_USED, "the authorization was already used; its keys are stored");
    }
    sql.update(
        "INSERT INTO used_authorization (authorization_id, expires_unix_seconds,"
            + " used_unix_seconds, notice_commitment) VALUES (?, ?, ?, ?)",
        u.authorizationId(),
        u.expiresUnixSeconds(),
        u.acceptedUnixSeconds(),
        u.noticeCommitment());
    sql.batch(
        "INSERT INTO pending_key (authorization_id, accepted_unix_seconds, key, scope)"
            + " VALUES (?, ?, ?, ?)",
        u.keys(),
        k -> new Object[] {u.authorizationId(), u.acceptedUnixSeconds(), k, u.scope()});
  }

  @Override
  public List<PendingKey> pending() {
    return sql.list(
        "SELECT id, accepted_unix_seconds, key, authorization_id, scope FROM pending_key"
            + " WHERE scope <> ? ORDER BY id",
        rs ->
            new PendingKey(
                rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getInt(5)),
        AcceptedUpload.DOMESTIC_ONLY);
  }

  @Override
  public void consume(long[] pendingKeyIds) {
    sql.batch(
        "DELETE FROM pending_key WHERE id = ?",
        LongStream.of(pendingKeyIds)::iterator,
        id -> new Object[] {id});
  }

  @Override
  public void forgetExpiredBefore(long unixSeconds) {
    sql.update("DELETE FROM used_authorization WHERE expires_unix_seconds < ?", unixSeconds);
    // domestic-only keys never become a batch; they are kept no longer than retention (R25.4)
    sql.update(
        "DELETE FROM pending_key WHERE scope = ? AND accepted_unix_seconds < ?",
        AcceptedUpload.DOMESTIC_ONLY,
        unixSeconds);
  }

  @Override
  public List<PendingKey> domestic(long afterId, long throughId, int max) {
    return sql.list(
        "SELECT id, accepted_unix_seconds, key, authorization_id, scope FROM pending_key"
            + " WHERE scope = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?",
        rs ->
            new PendingKey(
                rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getInt(5)),
        AcceptedUpload.DOMESTIC_ONLY,
        afterId,
        throughId,
        max);
  }

  @Override
  public long lastDomesticId() {
    return sql.number(
        "SELECT COALESCE(MAX(id), 0) FROM pending_key WHERE scope = ?",
        AcceptedUpload.DOMESTIC_ONLY);
  }
}
