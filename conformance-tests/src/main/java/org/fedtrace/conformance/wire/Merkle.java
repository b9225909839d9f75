package org.fedtrace.conformance.wire;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's own RFC 6962 Merkle tree with SHA-256 (spec/transparency.md §5.2), written from RFC
 * 6962 §2.1 and RFC 9162 §2.1.3.2 and §2.1.4.2, independently of any node's code, and checked
 * against spec/testvectors/merkle_tree_rfc6962.json: leaf and interior hashes, the tree hash of a
 * list of leaves, and the verification of audit paths and consistency proofs.
 */
public final class Merkle {
  /** Length of every hash. */
  public static final int HASH_BYTES = 32;

  private Merkle() {}

  /** A proof that does not verify, with why. */
  public static final class InvalidProof extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidProof(String message) {
      super(message);
    }
  }

  /** The leaf hash: SHA-256(0x00 ‖ leaf). */
  public static byte[] leafHash(byte[] leaf) {
    byte[] input = new byte[leaf.length + 1];
    System.arraycopy(leaf, 0, input, 1, leaf.length);
    return Canonical.sha256(input);
  }

  /** The interior node hash: SHA-256(0x01 ‖ left ‖ right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    byte[] input = new byte[1 + left.length + right.length];
    input[0] = 1;
    System.arraycopy(left, 0, input, 1, left.length);
    System.arraycopy(right, 0, input, 1 + left.length, right.length);
    return Canonical.sha256(input);
  }

  /** The tree hash MTH of the leaves whose leaf hashes are {@code leafHashes}, in order. */
  public static byte[] root(List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) {
      return Canonical.sha256(new byte[0]);
    }
    return root(leafHashes, 0, leafHashes.size());
  }

  /** MTH(D[from:to]), {@code to > from}: split at the largest power of two below the size. */
  private static byte[] root(List<byte[]> hashes, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return hashes.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return nodeHash(root(hashes, from, from + k), root(hashes, from + k, to));
  }

  /** The leaf hashes of {@code leaves}. */
  public static List<byte[]> leafHashes(List<byte[]> leaves) {
    List<byte[]> out = new ArrayList<>(leaves.size());
    leaves.forEach(l -> out.add(leafHash(l)));
    return out;
  }

  /**
   * Verifies that {@code path} proves the leaf with hash {@code leafHash} at {@code index} in the
   * tree of {@code size} leaves whose root is {@code root} (RFC 9162 §2.1.3.2).
   *
   * @throws InvalidProof saying what does not fit
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) throws InvalidProof {
    if (index < 0 || size <= 0 || index >= size) {
      throw new InvalidProof("leaf " + index + " is not in a tree of " + size + " leaves");
    }
    requireHashes(path);
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        throw new InvalidProof("the audit path has more elements than the tree has levels");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProof("the audit path has fewer elements than the tree has levels");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new InvalidProof("the audit path of leaf " + index + " leads to another root");
    }
  }

  /**
   * Verifies that {@code proof} shows the tree of {@code first} leaves with root {@code firstRoot}
   * to be a prefix of the tree of {@code second} leaves with root {@code secondRoot} (RFC 9162
   * §2.1.4.2); between equal sizes the proof must be empty and the roots equal.
   *
   * @throws InvalidProof saying what does not fit
   */
  public static void verifyConsistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof)
      throws InvalidProof {
    if (first <= 0 || first > second) {
      throw new InvalidProof("no consistency proof from " + first + " to " + second + " leaves");
    }
    requireHashes(proof);
    if (first == second) {
      if (!proof.isEmpty()) {
        throw new InvalidProof("a proof between equal sizes must be empty");
      }
      if (!MessageDigest.isEqual(firstRoot, secondRoot)) {
        throw new InvalidProof("two trees of " + first + " leaves with different roots");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new InvalidProof("an empty proof between different sizes");
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new InvalidProof("the proof has more elements than the trees need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProof("the proof has fewer elements than the trees need");
    }
    if (!MessageDigest.isEqual(fr, firstRoot)) {
      throw new InvalidProof("the proof does not lead to the first root");
    }
    if (!MessageDigest.isEqual(sr, secondRoot)) {
      throw new InvalidProof("the proof does not lead to the second root");
    }
  }

  private static void requireHashes(List<byte[]> hashes) throws InvalidProof {
    for (byte[] h : hashes) {
      if (h.length != HASH_BYTES) {
        throw new InvalidProof("a proof element of " + h.length + " bytes, not 32");
      }
    }
  }
}
