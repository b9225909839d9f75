package org.fedtrace.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Inclusion and consistency proofs for random tree sizes and positions: the proofs built from
 * stored subtrees equal RFC 6962's definitions, verify under RFC 9162's algorithms, and stop
 * verifying when anything about them is changed.
 */
class MerkleProofPropertiesTest {
  private static final int MAX_SIZE = 300;

  /** Leaf hashes of leaves "0", "1", ...: distinct and fixed. */
  private static final List<byte[]> LEAVES = leaves(MAX_SIZE);

  private static final MemoryTree TREE = MemoryTree.of(LEAVES);

  static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(MerkleHashes.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
    }
    return out;
  }

  record Leaf(int index, int size) {}

  record Sizes(int first, int second) {}

  @Provide
  Arbitrary<Leaf> leaf() {
    return Arbitraries.integers()
        .between(1, MAX_SIZE)
        .flatMap(n -> Arbitraries.integers().between(0, n - 1).map(i -> new Leaf(i, n)));
  }

  @Provide
  Arbitrary<Sizes> sizes() {
    return Arbitraries.integers()
        .between(1, MAX_SIZE)
        .flatMap(n -> Arbitraries.integers().between(1, n).map(m -> new Sizes(m, n)));
  }

  @Provide
  Arbitrary<Integer> anyIndex() {
    return Arbitraries.integers().between(0, 40);
  }

  @Property(tries = 300)
  void rootsAreRfc6962TreeHashes(@ForAll @IntRange(min = 0, max = MAX_SIZE) int size) {
    assertArrayEquals(ReferenceMerkle.mth(LEAVES.subList(0, size)), TREE.root(size));
    assertArrayEquals(
        ReferenceMerkle.mth(LEAVES.subList(0, size)),
        MerkleVerifier.rootOf(LEAVES.subList(0, size)));
  }

  @Property(tries = 500)
  void inclusionProofsAreRfc6962PathsAndVerify(@ForAll("leaf") Leaf l) throws ProofException {
    List<byte[]> path = TREE.inclusionProof(l.index(), l.size());
    assertHashesEqual(ReferenceMerkle.path(l.index(), LEAVES.subList(0, l.size())), path);
    MerkleVerifier.verifyInclusion(
        LEAVES.get(l.index()), l.index(), l.size(), path, TREE.root(l.size()));
  }

  @Property(tries = 500)
  void anyChangeToAnInclusionProofFails(
      @ForAll("leaf") Leaf l, @ForAll("anyIndex") int which, @ForAll @IntRange(max = 255) int bit) {
    List<byte[]> path = TREE.inclusionProof(l.index(), l.size());
    byte[] root = TREE.root(l.size());
    byte[] leaf = LEAVES.get(l.index());
    if (!path.isEmpty()) {
      List<byte[]> flipped = copy(path);
      flipped.get(which % path.size())[bit / 8] ^= (byte) (1 << (bit % 8));
      assertInclusionFails(leaf, l.index(), l.size(), flipped, root);
      assertInclusionFails(leaf, l.index(), l.size(), path.subList(0, path.size() - 1), root);
    }
    List<byte[]> longer = copy(path);
    longer.add(root);
    assertInclusionFails(leaf, l.index(), l.size(), longer, root);
    byte[] otherLeaf = LEAVES.get((l.index() + 1) % MAX_SIZE);
    assertInclusionFails(otherLeaf, l.index(), l.size(), path, root);
    byte[] otherRoot = TREE.root(l.size() == MAX_SIZE ? 1 : l.size() + 1);
    assertInclusionFails(leaf, l.index(), l.size(), path, otherRoot);
    if (l.size() > 1) {
      long otherIndex = (l.index() + 1 + which) % l.size();
      if (otherIndex != l.index()) {
        assertInclusionFails(leaf, otherIndex, l.size(), path, root);
      }
    }
    assertInclusionFails(leaf, l.index(), 2L * l.size(), path, root);
    assertInclusionFails(leaf, l.size(), l.size(), path, root);
  }

  @Property(tries = 500)
  void consistencyProofsAreRfc6962ProofsAndVerify(@ForAll("sizes") Sizes s) throws ProofException {
    List<byte[]> proof = TREE.consistencyProof(s.first(), s.second());
    List<byte[]> expected =
        s.first() == s.second()
            ? List.of()
            : ReferenceMerkle.proof(s.first(), LEAVES.subList(0, s.second()));
    assertHashesEqual(expected, proof);
    MerkleVerifier.verifyConsistency(
        s.first(), s.second(), TREE.root(s.first()), TREE.root(s.second()), proof);
  }

  @Property(tries = 500)
  void anyChangeToAConsistencyProofFails(
      @ForAll("sizes") Sizes s,
      @ForAll("anyIndex") int which,
      @ForAll @IntRange(max = 255) int bit) {
    List<byte[]> proof = TREE.consistencyProof(s.first(), s.second());
    byte[] r1 = TREE.root(s.first());
    byte[] r2 = TREE.root(s.second());
    if (!proof.isEmpty()) {
      List<byte[]> flipped = copy(proof);
      flipped.get(which % proof.size())[bit / 8] ^= (byte) (1 << (bit % 8));
      assertConsistencyFails(s.first(), s.second(), r1, r2, flipped);
      assertConsistencyFails(s.first(), s.second(), r1, r2, proof.subList(0, proof.size() - 1));
      assertConsistencyFails(s.first(), s.second(), r2, r1, proof);
    }
    List<byte[]> longer = copy(proof);
    longer.add(r2);
    assertConsistencyFails(s.first(), s.second(), r1, r2, longer);
    byte[] tampered = r1.clone();
    tampered[bit / 8] ^= (byte) (1 << (bit % 8));
    assertConsistencyFails(s.first(), s.second(), tampered, r2, proof);
    if (s.first() < s.second()) {
      assertConsistencyFails(s.first() + 1, s.second(), r1, r2, proof);
      assertConsistencyFails(s.second(), s.first(), r2, r1, proof);
    }
  }

  @Property(tries = 100)
  void appendingStoresAboutTwoNodesPerLeafAndNeverRewritesOne(
      @ForAll @IntRange(min = 0, max = MAX_SIZE) int size) {
    MemoryTree t = MemoryTree.of(LEAVES.subList(0, size));
    assertEquals(2L * size - Long.bitCount(size), t.storedNodes());
  }

  @Property(tries = 50)
  void proofsOfHugeTreesReadAtMostTwoNodesPerLevel(
      @ForAll @IntRange(min = 2, max = 62) int bits, @ForAll @IntRange(max = 1 << 20) int extra) {
    long size = (1L << bits) + extra;
    int levels = 64 - Long.numberOfLeadingZeros(size - 1);
    for (long index : new long[] {0, size / 3, size - 1}) {
      int inclusion = MerkleTree.nodesOf(MerkleTree.inclusionPath(index, size)).size();
      assertTrue(inclusion <= 2 * levels, inclusion + " nodes for " + levels + " levels");
      if (index > 0) {
        int consistency = MerkleTree.nodesOf(MerkleTree.consistencyPath(index, size)).size();
        assertTrue(consistency <= 2 * levels, consistency + " nodes for " + levels + " levels");
      }
    }
    assertTrue(MerkleTree.siblingsCompletedBy(size).size() < levels + 1);
  }

  private static void assertInclusionFails(
      byte[] leaf, long index, long size, List<byte[]> path, byte[] root) {
    assertThrows(
        ProofException.class, () -> MerkleVerifier.verifyInclusion(leaf, index, size, path, root));
  }

  private static void assertConsistencyFails(
      long first, long second, byte[] r1, byte[] r2, List<byte[]> proof) {
    assertThrows(
        ProofException.class, () -> MerkleVerifier.verifyConsistency(first, second, r1, r2, proof));
  }

  private static List<byte[]> copy(List<byte[]> hashes) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] h : hashes) {
      out.add(h.clone());
    }
    return out;
  }

  private static void assertHashesEqual(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "element " + i);
    }
  }
}
