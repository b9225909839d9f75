package org.fedtrace.tlog;

import static org.fedtrace.tlog.TestLogs.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload-to-batch link on the node's real store schema: the log's tables are added next to the
 * store's, as the node will do, and the store's own methods record the uploads.
 */
class SqliteNoticeUploadsTest {
  @TempDir Path tmp;

  private static byte[] id(int n) {
    byte[] id = new byte[16];
    id[15] = (byte) n;
    return id;
  }

  @Test
  void linksUploadsWithACommitmentToTheBatchesHoldingTheirKeys() throws Exception {
    byte[] c1 = Sha256.hash("secret 1".getBytes());
    byte[] c2 = Sha256.hash("secret 2".getBytes());
    try (Store store = Store.open(tmp)) {
      store.acceptUpload(
          id(1), 5_000, 1_000, List.of(new byte[] {1}, new byte[] {2}), c1, Store.NOTHING);
      store.acceptUpload(id(2), 5_000, 1_000, List.of(new byte[] {3}), null, Store.NOTHING);
      store.acceptUpload(
          id(3), 5_000, 1_000, List.of(new byte[] {4}, new byte[] {5}), c2, Store.NOTHING);
      long[] ids = store.pendingKeys().stream().mapToLong(Store.PendingKey::id).toArray();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file())) {
        SqliteLogStore.createTables(c);
        try (Statement s = c.createStatement()) {
          for (String ddl : SqliteNoticeUploads.DDL) {
            s.execute(ddl);
          }
        }
        SqliteNoticeUploads uploads = new SqliteNoticeUploads(c);
        uploads.link(new long[] {ids[0], ids[1], ids[2], ids[3]}, batch("first"), 2_000);
        uploads.link(new long[] {ids[4]}, batch("second"), 2_001);
        List<byte[]> first = uploads.find(c1).orElseThrow().batchSubjects();
        assertEquals(1, first.size());
        assertArrayEquals(batch("first"), first.get(0));
        List<byte[]> second = uploads.find(c2).orElseThrow().batchSubjects();
        assertEquals(2, second.size());
        assertArrayEquals(batch("first"), second.get(0));
        assertArrayEquals(batch("second"), second.get(1));
        assertTrue(uploads.find(Sha256.hash("nobody".getBytes())).isEmpty());
        try (Statement s = c.createStatement()) {
          s.executeUpdate(
              "DELETE FROM used_authorization WHERE notice_commitment = x'"
                  + java.util.HexFormat.of().formatHex(c2)
                  + "'");
        }
        assertEquals(2, uploads.forgetUnreferenced());
        assertTrue(uploads.find(c2).isEmpty());
        assertEquals(1, uploads.find(c1).orElseThrow().batchSubjects().size());
      }
    }
  }

  @Test
  void anUploadWithoutACommitmentIsNeverLinked() throws Exception {
    try (Store store = Store.open(tmp)) {
      store.acceptUpload(id(1), 5_000, 1_000, List.of(new byte[] {1}), null, Store.NOTHING);
      long[] ids = store.pendingKeys().stream().mapToLong(Store.PendingKey::id).toArray();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file())) {
        SqliteLogStore.createTables(c);
        new SqliteNoticeUploads(c).link(ids, batch("b"), 2_000);
        try (Statement s = c.createStatement();
            java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notice_batch")) {
          rs.next();
          assertEquals(0, rs.getInt(1));
        }
      }
    }
  }
}
