package org.fedtrace.tlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree hashes and proofs of RFC 6962 section 2.1, computed from stored perfect subtrees ({@link
 * NodeId}) instead of from the leaves.
 *
 * <p>Every subtree that the RFC's recursion names, {@code MTH(D[start:end])}, starts at a multiple
 * of a power of two at least as large as {@code end - start}. Such a range is the concatenation of
 * at most 63 perfect subtrees, one per set bit of {@code end - start}, largest first, and its hash
 * is their hashes folded from the right: {@code H(p1, H(p2, ... H(pk-1, pk)))}. A proof therefore
 * needs O(log n) stored nodes, read in one query, and appending a leaf reads at most 63 nodes (the
 * left siblings it completes) and writes as many.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /**
   * A range of leaves {@code [start, end)} whose tree hash {@code MTH(D[start:end])} is wanted.
   *
   * @param start first leaf
   * @param end one past the last leaf; greater than {@code start}
   */
  public record Range(long start, long end) {
    /**
     * @throws IllegalArgumentException if the range is empty or negative
     */
    public Range {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("not a range of leaves: [" + start + ", " + end + ")");
      }
    }

    /** The perfect subtrees that make up this range, left to right. */
    public List<NodeId> nodes() {
      List<NodeId> out = new ArrayList<>();
      long at = start;
      while (at < end) {
        long size = Long.highestOneBit(end - at);
        if (at != 0) {
          size = Math.min(size, Long.lowestOneBit(at));
        }
        int level = Long.numberOfTrailingZeros(size);
        out.add(new NodeId(level, at >> level));
        at += size;
      }
      return out;
    }

    /**
     * The tree hash of the range from stored nodes.
     *
     * @throws LogIntegrityException if {@code stored} lacks one of {@link #nodes()}
     */
    public byte[] hash(Map<NodeId, byte[]> stored) {
      List<NodeId> ids = nodes();
      byte[] h = require(stored, ids.get(ids.size() - 1));
      for (int i = ids.size() - 2; i >= 0; i--) {
        h = MerkleHashes.nodeHash(require(stored, ids.get(i)), h);
      }
      return h;
    }
  }

  /**
   * The root of a tree of {@code size} leaves, or null for the empty tree, whose hash is {@link
   * MerkleHashes#emptyRoot()}.
   */
  static Range root(long size) {
    return size == 0 ? null : new Range(0, size);
  }

  /**
   * The subtrees whose hashes form the audit path of leaf {@code index} in a tree of {@code size}
   * leaves (RFC 6962 section 2.1.1), in the RFC's order: the sibling nearest the leaf first.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   */
  public static List<Range> inclusionPath(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of " + size + " leaves");
    }
    List<Range> reversed = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = MerkleHashes.split(hi - lo);
      if (index < lo + k) {
        reversed.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        reversed.add(new Range(lo, lo + k));
        lo = lo + k;
      }
    }
    return reverse(reversed);
  }

  /**
   * The subtrees whose hashes form the consistency proof from a tree of {@code first} leaves to one
   * of {@code second} leaves (RFC 6962 section 2.1.2, {@code PROOF(m, D[n])}), in the RFC's order.
   * Empty when {@code first == second}.
   *
   * @throws IllegalArgumentException unless {@code 0 < first <= second}
   */
  public static List<Range> consistencyPath(long first, long second) {
    if (first <= 0 || first > second) {
      throw new IllegalArgumentException(
          "no consistency proof from " + first + " to " + second + " leaves");
    }
    List<Range> reversed = new ArrayList<>();
    long m = first;
    long lo = 0;
    long hi = second;
    boolean whole = true;
    while (m != hi - lo) {
      long k = MerkleHashes.split(hi - lo);
      if (m <= k) {
        reversed.add(new Range(lo + k, hi));
        hi = lo + k;
      } else {
        reversed.add(new Range(lo, lo + k));
        lo = lo + k;
        m -= k;
        whole = false;
      }
    }
    if (!whole) {
      reversed.add(new Range(lo, hi));
    }
    return reverse(reversed);
  }

  /** Every node the ranges need, without repeats, for one read of the store. */
  public static Set<NodeId> nodesOf(Collection<Range> ranges) {
    Set<NodeId> out = new LinkedHashSet<>();
    for (Range r : ranges) {
      out.addAll(r.nodes());
    }
    return out;
  }

  /** The hashes of {@code ranges}, in order. */
  public static List<byte[]> hashes(List<Range> ranges, Map<NodeId, byte[]> stored) {
    List<byte[]> out = new ArrayList<>(ranges.size());
    for (Range r : ranges) {
      out.add(r.hash(stored));
    }
    return out;
  }

  /**
   * The left siblings that appending leaf {@code index} completes: for each level {@code l} where
   * bit {@code l} of {@code index} is set, the node {@code (l, (index >> l) - 1)}. Appending reads
   * them and stores the parents {@link #parentsCompletedBy}.
   */
  public static List<NodeId> siblingsCompletedBy(long index) {
    List<NodeId> out = new ArrayList<>();
    for (int level = 0; ((index >> level) & 1) == 1; level++) {
      out.add(new NodeId(level, (index >> level) - 1));
    }
    return out;
  }

  /**
   * The hashes to store when leaf {@code index} with hash {@code leafHash} is appended: the leaf
   * itself at level 0 and every perfect subtree it completes, given the stored {@link
   * #siblingsCompletedBy left siblings}.
   *
   * @throws LogIntegrityException if a sibling is missing from {@code siblings}
   */
  public static Map<NodeId, byte[]> parentsCompletedBy(
      long index, byte[] leafHash, Map<NodeId, byte[]> siblings) {
    Map<NodeId, byte[]> out = new java.util.LinkedHashMap<>();
    out.put(new NodeId(0, index), leafHash);
    byte[] h = leafHash;
    int level = 0;
    for (NodeId sibling : siblingsCompletedBy(index)) {
      h = MerkleHashes.nodeHash(require(siblings, sibling), h);
      level++;
      out.put(new NodeId(level, index >> level), h);
    }
    return out;
  }

  private static byte[] require(Map<NodeId, byte[]> stored, NodeId id) {
    byte[] h = stored.get(id);
    if (h == null || h.length != MerkleHashes.LENGTH) {
      throw new LogIntegrityException(
          "the log store lacks the hash of subtree level " + id.level() + " index " + id.index());
    }
    return h;
  }

  private static List<Range> reverse(List<Range> reversed) {
    List<Range> out = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      out.add(reversed.get(i));
    }
    return out;
  }
}
