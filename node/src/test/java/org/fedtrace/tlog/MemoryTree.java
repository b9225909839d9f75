package org.fedtrace.tlog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tree kept as {@link MerkleTree} stores it, in memory: appended leaf by leaf, node by node. */
final class MemoryTree {
  private final Map<NodeId, byte[]> nodes = new HashMap<>();
  private long size;

  /** A tree of the given leaf hashes. */
  static MemoryTree of(List<byte[]> leafHashes) {
    MemoryTree t = new MemoryTree();
    for (byte[] h : leafHashes) {
      t.append(h);
    }
    return t;
  }

  void append(byte[] leafHash) {
    Map<NodeId, byte[]> siblings = new HashMap<>();
    for (NodeId id : MerkleTree.siblingsCompletedBy(size)) {
      siblings.put(id, nodes.get(id));
    }
    Map<NodeId, byte[]> completed = MerkleTree.parentsCompletedBy(size, leafHash, siblings);
    for (NodeId id : completed.keySet()) {
      if (nodes.containsKey(id)) {
        throw new AssertionError("node stored twice: " + id);
      }
    }
    nodes.putAll(completed);
    size++;
  }

  long size() {
    return size;
  }

  int storedNodes() {
    return nodes.size();
  }

  byte[] root(long treeSize) {
    return treeSize == 0 ? MerkleHashes.emptyRoot() : new MerkleTree.Range(0, treeSize).hash(nodes);
  }

  List<byte[]> inclusionProof(long index, long treeSize) {
    return MerkleTree.hashes(MerkleTree.inclusionPath(index, treeSize), nodes);
  }

  List<byte[]> consistencyProof(long first, long second) {
    return MerkleTree.hashes(MerkleTree.consistencyPath(first, second), nodes);
  }
}
