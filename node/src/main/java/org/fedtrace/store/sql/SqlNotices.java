package org.fedtrace.store.sql;

import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.fedtrace.crypto.Digest;
import org.fedtrace.store.NoticeUpload;
import org.fedtrace.store.Notices;

/**
 * {@link Notices} in the {@code notice_batch} table, joined with the uploads' {@code
 * used_authorization} rows (which hold each upload's notice commitment) and their {@code
 * pending_key} rows.
 */
final class SqlNotices implements Notices {
  /** The table (created with the log's, schema version 1) and the lookup index. */
  static final List<String> DDL =
      List.of(
          "CREATE TABLE notice_batch ("
              + " notice_commitment BLOB NOT NULL,"
              + " subject_sha256 BLOB NOT NULL,"
              + " linked_unix_seconds INTEGER NOT NULL,"
              + " PRIMARY KEY (notice_commitment, subject_sha256)) WITHOUT ROWID");

  /** The index for the lookup by commitment. */
  static final List<String> INDEX_DDL =
      List.of(
          "CREATE INDEX IF NOT EXISTS used_authorization_notice ON used_authorization"
              + " (notice_commitment) WHERE notice_commitment IS NOT NULL");

  private final Sql sql;

  SqlNotices(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void link(long[] pendingKeyIds, Digest batch, long nowUnixSeconds) {
    byte[] subject = batch.bytes();
    sql.batch(
        "INSERT INTO notice_batch"
            + " (notice_commitment, subject_sha256, linked_unix_seconds)"
            + " SELECT u.notice_commitment, ?, ? FROM pending_key p"
            + " JOIN used_authorization u ON u.authorization_id = p.authorization_id"
            + " WHERE p.id = ? AND u.notice_commitment IS NOT NULL ON CONFLICT DO NOTHING",
        LongStream.of(pendingKeyIds)::iterator,
        id -> new Object[] {subject, nowUnixSeconds, id});
  }

  @Override
  public Optional<NoticeUpload> find(byte[] commitment) {
    if (!sql.exists("SELECT 1 FROM used_authorization WHERE notice_commitment = ?", commitment)) {
      return Optional.empty();
    }
    List<Digest> batches =
        sql.list(
            "SELECT subject_sha256 FROM notice_batch WHERE notice_commitment = ?"
                + " ORDER BY linked_unix_seconds, subject_sha256",
            rs -> Digest.of(rs.getBytes(1)),
            commitment);
    return Optional.of(new NoticeUpload(batches));
  }

  @Override
  public int forgetUnreferenced() {
    return sql.update(
        "DELETE FROM notice_batch WHERE notice_commitment NOT IN"
            + " (SELECT notice_commitment FROM used_authorization"
            + " WHERE notice_commitment IS NOT NULL)");
  }
}
