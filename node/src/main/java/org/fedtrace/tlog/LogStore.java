package org.fedtrace.tlog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.CosignedCheckpoint;

/**
 * What the transparency log needs from storage, within one transaction of the caller: the leaves
 * (entry encodings) by position, the hashes of completed perfect subtrees, and the latest signed
 * checkpoint. {@link TransparencyLog} holds all the log's logic; a store only keeps bytes.
 *
 * <p>An implementation is a view on one open transaction of the application's storage, so the
 * application can append an event in the same transaction as the state change it records: a batch
 * and its log entry commit together or not at all. Storage failures surface as the implementation's
 * unchecked exceptions.
 */
public interface LogStore {
  /** A stored leaf: its position and its log-entry encoding. */
  record Leaf(long index, byte[] bytes) {}

  /** Number of leaves in the log. */
  long size();

  /**
   * Stores leaf {@code index}, which must be {@link #size()}, with the event type and subject it
   * encodes (kept for lookups; the leaf bytes are authoritative).
   */
  void putLeaf(long index, int eventType, byte[] subjectSha256, byte[] leaf);

  /** Stores subtree hashes; a subtree is stored once and never changes. */
  void putNodes(Map<NodeId, byte[]> nodes);

  /** The stored hashes of {@code ids}; an id that is not stored is absent from the result. */
  Map<NodeId, byte[]> nodes(Collection<NodeId> ids);

  /** The leaves {@code [start, end)} in order; fewer when the log is shorter. */
  List<Leaf> leaves(long start, long end);

  /** The leaves whose subject is {@code subjectSha256}, in order. */
  List<Leaf> leavesWithSubject(byte[] subjectSha256);

  /** The latest checkpoint the log signed, if any. */
  Optional<Checkpoint> latestCheckpoint();

  /** Replaces the latest checkpoint. {@link TransparencyLog} never passes a smaller tree. */
  void putLatestCheckpoint(Checkpoint checkpoint);

  /**
   * The cosigned checkpoint in {@code slot}: 0 the one the log's witnesses are asked to cosign, 1
   * the one before it (spec/transparency.md §15.3).
   */
  Optional<CosignedCheckpoint> cosigned(int slot);

  /** Replaces the cosigned checkpoint in {@code slot}. */
  void putCosigned(int slot, CosignedCheckpoint cosigned);
}
