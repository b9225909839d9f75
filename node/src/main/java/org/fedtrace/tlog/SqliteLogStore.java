package org.fedtrace.tlog;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.proto.v1.Checkpoint;

/**
 * A {@link LogStore} on an SQLite connection, inside whatever transaction the caller opened on it.
 * The tables are {@link #DDL}; the node's store creates them with its own schema, {@link
 * SqliteLogDatabase} on a file of its own.
 */
public final class SqliteLogStore implements LogStore {
  /**
   * The log's tables. {@code log_entry} holds the leaves (the entry encodings) with their event
   * type and subject for lookups; {@code log_node} the hash of every completed perfect subtree,
   * leaves at level 0; {@code log_checkpoint} the one latest signed checkpoint (serialized); {@code
   * notice_batch} which own batches hold keys of an upload with a notice commitment ({@link
   * SqliteNoticeUploads}). Nothing here is ever deleted except {@code notice_batch} rows.
   */
  public static final List<String> DDL =
      List.of(
          "CREATE TABLE log_entry ("
              + " leaf_index INTEGER PRIMARY KEY,"
              + " event_type INTEGER NOT NULL,"
              + " subject_sha256 BLOB NOT NULL,"
              + " leaf BLOB NOT NULL)",
          "CREATE INDEX log_entry_subject ON log_entry (subject_sha256)",
          "CREATE TABLE log_node ("
              + " level INTEGER NOT NULL,"
              + " idx INTEGER NOT NULL,"
              + " hash BLOB NOT NULL,"
              + " PRIMARY KEY (level, idx)) WITHOUT ROWID",
          "CREATE TABLE log_checkpoint ("
              + " id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " tree_size INTEGER NOT NULL,"
              + " checkpoint BLOB NOT NULL)",
          "CREATE TABLE notice_batch ("
              + " notice_commitment BLOB NOT NULL,"
              + " subject_sha256 BLOB NOT NULL,"
              + " linked_unix_seconds INTEGER NOT NULL,"
              + " PRIMARY KEY (notice_commitment, subject_sha256)) WITHOUT ROWID");

  private final Connection c;

  /** A view on {@code connection}; the caller owns its transaction. */
  public SqliteLogStore(Connection connection) {
    this.c = connection;
  }

  /** Creates the tables of {@link #DDL} on {@code connection} unless {@code log_entry} exists. */
  public static void createTables(Connection connection) throws SQLException {
    try (PreparedStatement q =
        connection.prepareStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_entry'")) {
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (Statement s = connection.createStatement()) {
      for (String ddl : DDL) {
        s.execute(ddl);
      }
    }
  }

  @Override
  public long size() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM log_entry")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void putLeaf(long index, int eventType, byte[] subjectSha256, byte[] leaf)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO log_entry (leaf_index, event_type, subject_sha256, leaf)"
                + " VALUES (?, ?, ?, ?)")) {
      ins.setLong(1, index);
      ins.setInt(2, eventType);
      ins.setBytes(3, subjectSha256);
      ins.setBytes(4, leaf);
      ins.executeUpdate();
    }
  }

  @Override
  public void putNodes(Map<NodeId, byte[]> nodes) throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement("INSERT INTO log_node (level, idx, hash) VALUES (?, ?, ?)")) {
      for (Map.Entry<NodeId, byte[]> n : nodes.entrySet()) {
        ins.setInt(1, n.getKey().level());
        ins.setLong(2, n.getKey().index());
        ins.setBytes(3, n.getValue());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  @Override
  public Map<NodeId, byte[]> nodes(Collection<NodeId> ids) throws SQLException {
    Map<NodeId, byte[]> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    StringBuilder sql =
        new StringBuilder("SELECT level, idx, hash FROM log_node WHERE (level, idx) IN (VALUES ");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
    }
    sql.append(')');
    try (PreparedStatement q = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (NodeId id : ids) {
        q.setInt(p++, id.level());
        q.setLong(p++, id.index());
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        }
      }
    }
    return out;
  }

  @Override
  public List<Leaf> leaves(long start, long end) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT leaf_index, leaf FROM log_entry WHERE leaf_index >= ? AND leaf_index < ?"
                + " ORDER BY leaf_index")) {
      q.setLong(1, start);
      q.setLong(2, end);
      return readLeaves(q);
    }
  }

  @Override
  public List<Leaf> leavesWithSubject(byte[] subjectSha256) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT leaf_index, leaf FROM log_entry WHERE subject_sha256 = ?"
                + " ORDER BY leaf_index")) {
      q.setBytes(1, subjectSha256);
      return readLeaves(q);
    }
  }

  private static List<Leaf> readLeaves(PreparedStatement q) throws SQLException {
    List<Leaf> out = new ArrayList<>();
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        out.add(new Leaf(rs.getLong(1), rs.getBytes(2)));
      }
    }
    return out;
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT checkpoint FROM log_checkpoint WHERE id = 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Checkpoint.parseFrom(rs.getBytes(1)));
      } catch (InvalidProtocolBufferException e) {
        throw new LogIntegrityException("the stored checkpoint does not parse");
      }
    }
  }

  @Override
  public void putLatestCheckpoint(Checkpoint checkpoint) throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
            "INSERT INTO log_checkpoint (id, tree_size, checkpoint) VALUES (1, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET tree_size = excluded.tree_size,"
                + " checkpoint = excluded.checkpoint")) {
      up.setLong(1, checkpoint.getTreeSize());
      up.setBytes(2, checkpoint.toByteArray());
      up.executeUpdate();
    }
  }
}
