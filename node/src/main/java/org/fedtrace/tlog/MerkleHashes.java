package org.fedtrace.tlog;

import java.security.MessageDigest;
import org.fedtrace.crypto.Sha256;

/**
 * The hashes of RFC 6962 section 2.1 with SHA-256: leaves are hashed with the prefix byte 0x00,
 * interior nodes with 0x01, and the tree of no leaves hashes to SHA-256 of the empty string.
 */
public final class MerkleHashes {
  /** Length of every hash in the tree. */
  public static final int LENGTH = Sha256.LENGTH;

  private static final byte[] EMPTY_ROOT = Sha256.hash();
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleHashes() {}

  /** The root hash of the empty tree: SHA-256 of no bytes. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** {@code SHA-256(0x00 || leaf)}. */
  public static byte[] leafHash(byte[] leaf) {
    MessageDigest md = Sha256.newDigest();
    md.update(LEAF_PREFIX);
    md.update(leaf);
    return md.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = Sha256.newDigest();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /**
   * The largest power of two smaller than {@code n}: where RFC 6962 splits a tree of {@code n > 1}
   * leaves.
   *
   * @throws IllegalArgumentException if {@code n < 2}
   */
  public static long split(long n) {
    if (n < 2) {
      throw new IllegalArgumentException("only a tree of 2 or more leaves is split, got " + n);
    }
    return Long.highestOneBit(n - 1);
  }
}
