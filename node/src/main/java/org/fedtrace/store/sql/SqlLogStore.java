package org.fedtrace.store.sql;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.tlog.LogIntegrityException;
import org.fedtrace.tlog.LogStore;
import org.fedtrace.tlog.NodeId;

/**
 * The transparency log's {@link LogStore} in the node's SQLite database, inside whatever
 * transaction is open on the connection. {@code log_entry} holds the leaves (the entry encodings)
 * with their event type and subject for lookups; {@code log_node} the hash of every completed
 * perfect subtree, leaves at level 0; {@code log_checkpoint} the one latest signed checkpoint
 * (serialized). Nothing here is ever deleted.
 */
final class SqlLogStore implements LogStore {
  static final List<String> DDL =
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
              + " checkpoint BLOB NOT NULL)");

  private final Sql sql;

  SqlLogStore(Sql sql) {
    this.sql = sql;
  }

  @Override
  public long size() {
    return sql.number("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM log_entry");
  }

  @Override
  public void putLeaf(long index, int eventType, byte[] subjectSha256, byte[] leaf) {
    sql.update(
        "INSERT INTO log_entry (leaf_index, event_type, subject_sha256, leaf) VALUES (?, ?, ?, ?)",
        index,
        eventType,
        subjectSha256,
        leaf);
  }

  @Override
  public void putNodes(Map<NodeId, byte[]> nodes) {
    sql.batch(
        "INSERT INTO log_node (level, idx, hash) VALUES (?, ?, ?)",
        nodes.entrySet(),
        n -> new Object[] {n.getKey().level(), n.getKey().index(), n.getValue()});
  }

  @Override
  public Map<NodeId, byte[]> nodes(Collection<NodeId> ids) {
    Map<NodeId, byte[]> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    StringBuilder query =
        new StringBuilder("SELECT level, idx, hash FROM log_node WHERE (level, idx) IN (VALUES ");
    Object[] args = new Object[2 * ids.size()];
    int p = 0;
    for (NodeId id : ids) {
      query.append(p == 0 ? "(?, ?)" : ", (?, ?)");
      args[p++] = id.level();
      args[p++] = id.index();
    }
    query.append(')');
    sql.forEach(
        query.toString(),
        rs -> out.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)),
        args);
    return out;
  }

  @Override
  public List<Leaf> leaves(long start, long end) {
    return sql.list(
        "SELECT leaf_index, leaf FROM log_entry WHERE leaf_index >= ? AND leaf_index < ?"
            + " ORDER BY leaf_index",
        rs -> new Leaf(rs.getLong(1), rs.getBytes(2)),
        start,
        end);
  }

  @Override
  public List<Leaf> leavesWithSubject(byte[] subjectSha256) {
    return sql.list(
        "SELECT leaf_index, leaf FROM log_entry WHERE subject_sha256 = ? ORDER BY leaf_index",
        rs -> new Leaf(rs.getLong(1), rs.getBytes(2)),
        subjectSha256);
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    Optional<byte[]> stored =
        sql.one("SELECT checkpoint FROM log_checkpoint WHERE id = 1", rs -> rs.getBytes(1));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Checkpoint.parseFrom(stored.get()));
    } catch (InvalidProtocolBufferException e) {
      throw new LogIntegrityException("the stored checkpoint does not parse");
    }
  }

  @Override
  public void putLatestCheckpoint(Checkpoint checkpoint) {
    sql.update(
        "INSERT INTO log_checkpoint (id, tree_size, checkpoint) VALUES (1, ?, ?)"
            + " ON CONFLICT(id) DO UPDATE SET tree_size = excluded.tree_size,"
            + " checkpoint = excluded.checkpoint",
        checkpoint.getTreeSize(),
        checkpoint.toByteArray());
  }

  @Override
  public Optional<CosignedCheckpoint> cosigned(int slot) {
    Optional<byte[]> stored =
        sql.one("SELECT data FROM cosigned_checkpoint WHERE slot = ?", rs -> rs.getBytes(1), slot);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CosignedCheckpoint.parseFrom(stored.get()));
    } catch (InvalidProtocolBufferException e) {
      throw new LogIntegrityException("the stored cosigned checkpoint does not parse");
    }
  }

  @Override
  public void putCosigned(int slot, CosignedCheckpoint cosigned) {
    sql.update(
        "INSERT INTO cosigned_checkpoint (slot, data) VALUES (?, ?)"
            + " ON CONFLICT(slot) DO UPDATE SET data = excluded.data",
        slot,
        cosigned.toByteArray());
  }
}
