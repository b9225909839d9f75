package org.fedtrace.tlog;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.proto.v1.Checkpoint;

/**
 * What the transparency log needs from storage, within one transaction of the caller: the leaves
 * (entry encodings) by position, the hashes of completed perfect subtrees, and the latest signed
 * checkpoint. {@link TransparencyLog} holds all the log's logic; a store only keeps bytes.
 *
 * <p>An implementation is a view on one open transaction (for SQLite, one {@link
 * java.sql.Connection} with auto-commit off), so the node can append an event in the same
 * transaction as the state change it records: a batch and its log entry commit together or not at
 * all. Methods throw {@link SQLException} so that the node's store maps failures as it maps its
 * own.
 */
public interface LogStore {
  /** A stored leaf: its position and its log-entry encoding. */
  record Leaf(long index, byte[] bytes) {}

  /** Number of leaves in the log. */
  long size() throws SQLException;

  /**
   * Stores leaf {@code index}, which must be {@link #size()}, with the event type and subject it
   * encodes (kept for lookups; the leaf bytes are authoritative).
   */
  void putLeaf(long index, int eventType, byte[] subjectSha256, byte[] leaf) throws SQLException;

  /** Stores subtree hashes; a subtree is stored once and never changes. */
  void putNodes(Map<NodeId, byte[]> nodes) throws SQLException;

  /** The stored hashes of {@code ids}; an id that is not stored is absent from the result. */
  Map<NodeId, byte[]> nodes(Collection<NodeId> ids) throws SQLException;

  /** The leaves {@code [start, end)} in order; fewer when the log is shorter. */
  List<Leaf> leaves(long start, long end) throws SQLException;

  /** The leaves whose subject is {@code subjectSha256}, in order. */
  List<Leaf> leavesWithSubject(byte[] subjectSha256) throws SQLException;

  /** The latest checkpoint the log signed, if any. */
  Optional<Checkpoint> latestCheckpoint() throws SQLException;

  /** Replaces the latest checkpoint. {@link TransparencyLog} never passes a smaller tree. */
  void putLatestCheckpoint(Checkpoint checkpoint) throws SQLException;
}
