package org.fedtrace.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The link from an upload to the batches that hold its keys, on the node's store: the store's
 * {@code used_authorization} (which holds each upload's {@code notice_commitment}) and {@code
 * pending_key} tables, and the log's {@code notice_batch} table ({@link SqliteLogStore#DDL}).
 *
 * <p>When the node signs one of its own batches it calls {@link #link} in the same transaction,
 * before it deletes the pending keys the batch consumed: each upload with a notice commitment whose
 * keys are among them is linked to the batch's content hash. Only uploads with a commitment are
 * linked; nothing records which keys of a batch are padding (R21.21).
 */
public final class SqliteNoticeUploads {
  /** An index for the lookup by commitment; the node adds it to its store's schema. */
  public static final List<String> DDL =
      List.of(
          "CREATE INDEX IF NOT EXISTS used_authorization_notice ON used_authorization"
              + " (notice_commitment)"
              + " WHERE notice_commitment IS NOT NULL");

  private final Connection c;

  /** A view on {@code connection}; the caller owns its transaction. */
  public SqliteNoticeUploads(Connection connection) {
    this.c = connection;
  }

  /**
   * Links the uploads whose pending keys {@code pendingKeyIds} a new batch consumed to that batch's
   * content hash {@code subjectSha256}.
   */
  public void link(long[] pendingKeyIds, byte[] subjectSha256, long nowUnixSeconds)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT OR IGNORE INTO notice_batch"
                + " (notice_commitment, subject_sha256, linked_unix_seconds)"
                + " SELECT u.notice_commitment, ?, ? FROM pending_key p"
                + " JOIN used_authorization u ON u.authorization_id = p.authorization_id"
                + " WHERE p.id = ? AND u.notice_commitment IS NOT NULL")) {
      for (long id : pendingKeyIds) {
        ins.setBytes(1, subjectSha256);
        ins.setLong(2, nowUnixSeconds);
        ins.setLong(3, id);
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** The upload with {@code commitment}, if {@code used_authorization} still holds it. */
  public Optional<NoticeUploads.Upload> find(byte[] commitment) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT 1 FROM used_authorization WHERE notice_commitment = ?")) {
      q.setBytes(1, commitment);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
      }
    }
    List<byte[]> subjects = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT subject_sha256 FROM notice_batch WHERE notice_commitment = ?"
                + " ORDER BY linked_unix_seconds, subject_sha256")) {
      q.setBytes(1, commitment);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          subjects.add(rs.getBytes(1));
        }
      }
    }
    return Optional.of(new NoticeUploads.Upload(subjects));
  }

  /**
   * Deletes the links of uploads that {@code used_authorization} no longer holds; the node calls it
   * in the transaction that forgets old authorizations.
   *
   * @return the number of links deleted
   */
  public int forgetUnreferenced() throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM notice_batch WHERE notice_commitment NOT IN"
                + " (SELECT notice_commitment FROM used_authorization"
                + " WHERE notice_commitment IS NOT NULL)")) {
      return del.executeUpdate();
    }
  }
}
