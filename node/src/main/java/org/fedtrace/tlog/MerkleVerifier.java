package org.fedtrace.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verifies RFC 6962 proofs with the algorithms of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2
 * (consistency), which accept exactly the proofs RFC 6962 section 2.1 defines. Nothing here knows
 * how fedtrace stores its log: it is what an independent auditor runs.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /**
   * Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose
   * root is {@code root}.
   *
   * @throws ProofException if it is not, or the arguments cannot describe such a proof
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> path, byte[] root)
      throws ProofException {
    requireHash("root", root);
    byte[] computed = rootFromInclusion(leafHash, index, size, path);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException(
          "the audit path of leaf " + index + " leads to another root than the tree's");
    }
  }

  /**
   * The root that an audit path leads to (RFC 9162 section 2.1.3.2, steps 1 to 5).
   *
   * @throws ProofException if {@code index} is not below {@code size}, a hash is not 32 bytes, or
   *     the path has the wrong length for that leaf and size
   */
  public static byte[] rootFromInclusion(byte[] leafHash, long index, long size, List<byte[]> path)
      throws ProofException {
    requireHash("leaf hash", leafHash);
    if (index < 0 || index >= size) {
      throw new ProofException("leaf " + index + " is not in a tree of " + size + " leaves");
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      requireHash("audit path element", p);
      if (sn == 0) {
        throw new ProofException("the audit path is longer than a tree of " + size + " needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashes.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = MerkleHashes.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("the audit path is shorter than a tree of " + size + " needs");
    }
    return r;
  }

  /**
   * Checks that the tree of {@code first} leaves with root {@code firstRoot} is a prefix of the
   * tree of {@code second} leaves with root {@code secondRoot}.
   *
   * @throws ProofException if the proof does not show it, including {@code first > second}, equal
   *     sizes with different roots, and any proof that is not exactly the one RFC 6962 defines
   */
  public static void verifyConsistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof)
      throws ProofException {
    requireHash("first root", firstRoot);
    requireHash("second root", secondRoot);
    if (first < 0 || first > second) {
      throw new ProofException(
          "a tree of " + first + " leaves cannot be a prefix of one of " + second);
    }
    if (first == 0 || first == second) {
      if (!proof.isEmpty()) {
        throw new ProofException(
            "the consistency proof from " + first + " to " + second + " leaves must be empty");
      }
      byte[] expected = first == 0 ? MerkleHashes.emptyRoot() : secondRoot;
      if (!MessageDigest.isEqual(firstRoot, expected)) {
        throw new ProofException(
            first == 0
                ? "the root of the empty tree is not SHA-256 of the empty string"
                : "two trees of " + first + " leaves have different roots");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException("the consistency proof is empty");
    }
    for (byte[] p : proof) {
      requireHash("consistency proof element", p);
    }
    int next = 0;
    byte[] fr;
    if (Long.bitCount(first) == 1) {
      fr = firstRoot;
    } else {
      fr = proof.get(next++);
    }
    byte[] sr = fr;
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      if (sn == 0) {
        throw new ProofException("the consistency proof is longer than the trees need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashes.nodeHash(c, fr);
        sr = MerkleHashes.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = MerkleHashes.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("the consistency proof is shorter than the trees need");
    }
    if (!MessageDigest.isEqual(fr, firstRoot)) {
      throw new ProofException(
          "the consistency proof does not lead to the root of the " + first + "-leaf tree");
    }
    if (!MessageDigest.isEqual(sr, secondRoot)) {
      throw new ProofException(
          "the consistency proof does not lead to the root of the " + second + "-leaf tree");
    }
  }

  /**
   * The RFC 6962 tree hash of the leaves with hashes {@code leafHashes}, in O(n) time: what an
   * auditor that fetched a whole log computes to compare with the log's checkpoint.
   */
  public static byte[] rootOf(List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) {
      return MerkleHashes.emptyRoot();
    }
    // A stack of perfect subtrees, strictly decreasing in size from the bottom: the compact range.
    java.util.ArrayDeque<byte[]> hashes = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Long> sizes = new java.util.ArrayDeque<>();
    for (byte[] leaf : leafHashes) {
      byte[] h = leaf;
      long size = 1;
      while (!sizes.isEmpty() && sizes.peek() == size) {
        h = MerkleHashes.nodeHash(hashes.pop(), h);
        size += sizes.pop();
      }
      hashes.push(h);
      sizes.push(size);
    }
    byte[] root = hashes.pop();
    while (!hashes.isEmpty()) {
      root = MerkleHashes.nodeHash(hashes.pop(), root);
    }
    return root;
  }

  private static void requireHash(String what, byte[] h) throws ProofException {
    if (h == null || h.length != MerkleHashes.LENGTH) {
      throw new ProofException("the " + what + " is not " + MerkleHashes.LENGTH + " bytes");
    }
  }
}
