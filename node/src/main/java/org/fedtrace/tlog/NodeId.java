package org.fedtrace.tlog;

/**
 * A perfect subtree of the log: the {@code 2^level} leaves from {@code index * 2^level}. Level 0
 * nodes are the leaf hashes. The log stores the hash of every perfect subtree it has completed, so
 * any tree hash or proof is a fold of stored nodes.
 *
 * @param level height of the subtree, 0 for a leaf (at most 62)
 * @param index position of the subtree among those of its level, from 0
 */
public record NodeId(int level, long index) {
  /**
   * @throws IllegalArgumentException if the level or index is out of range
   */
  public NodeId {
    if (level < 0 || level > 62 || index < 0 || index > (Long.MAX_VALUE >> level)) {
      throw new IllegalArgumentException("no subtree at level " + level + ", index " + index);
    }
  }

  /** The first leaf the subtree covers. */
  public long start() {
    return index << level;
  }

  /** One past the last leaf the subtree covers. */
  public long end() {
    return (index + 1) << level;
  }
}
