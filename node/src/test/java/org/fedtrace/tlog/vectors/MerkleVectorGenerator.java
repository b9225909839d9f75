package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;
import static org.fedtrace.tlog.vectors.Vectors.hexList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.batch.vectors.VectorFile;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.tlog.MerkleHashes;
import org.fedtrace.tlog.MerkleTree;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.NodeId;
import org.fedtrace.tlog.ProofException;

/**
 * Generates {@code spec/testvectors/merkle_tree_rfc6962.json}: RFC 6962 tree hashes, inclusion
 * proofs and consistency proofs, for any implementation of RFC 6962 section 2.1.
 *
 * <p>The first group of each type holds values published by others, copied as data: the leaves,
 * roots and proofs of the certificate-transparency reference tests as transparency-dev/merkle
 * publishes them ({@code testonly/constants.go} and {@code proof/verify_test.go}, Apache-2.0). The
 * generator refuses to write the file unless fedtrace's code computes exactly those values. The
 * other groups are fedtrace's own, from a fixed byte source, with invalid variants.
 */
public final class MerkleVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "merkle_tree_rfc6962.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "1";

  static final String SOURCE =
      "transparency-dev/merkle (github.com/transparency-dev/merkle), testonly/constants.go and"
          + " proof/verify_test.go, Apache-2.0: the certificate-transparency reference test"
          + " values. Leaf indexes here count from 0.";

  static final List<String> PUBLISHED_LEAVES =
      List.of(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  /** Roots of the first n published leaves, n = 0..8. */
  static final List<String> PUBLISHED_ROOTS =
      List.of(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  private static final String H96 =
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
  private static final String H5F =
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
  private static final String H6B =
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";
  private static final String HBC =
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
  private static final String HCA =
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
  private static final String HD3 =
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7";
  private static final String HFA =
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125";
  private static final String H6E =
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
  private static final String H0E =
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";
  private static final String HB0 =
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f";

  /** Published inclusion proofs: leaf index, tree size, audit path. */
  record Inclusion(int index, int size, List<String> path) {}

  /** Published consistency proofs: first size, second size, proof. */
  record Consistency(int first, int second, List<String> proof) {}

  static final List<Inclusion> PUBLISHED_INCLUSION =
      List.of(
          new Inclusion(0, 1, List.of()),
          new Inclusion(0, 8, List.of(H96, H5F, H6B)),
          new Inclusion(5, 8, List.of(HBC, HCA, HD3)),
          new Inclusion(2, 3, List.of(HFA)),
          new Inclusion(1, 5, List.of(H6E, H5F, HBC)));

  static final List<Consistency> PUBLISHED_CONSISTENCY =
      List.of(
          new Consistency(1, 1, List.of()),
          new Consistency(1, 8, List.of(H96, H5F, H6B)),
          new Consistency(6, 8, List.of(H0E, HCA, HD3)),
          new Consistency(2, 5, List.of(H5F, HBC)),
          new Consistency(6, 7, List.of(H0E, HB0, HD3)));

  private static final int OWN_LEAVES = 20;
  private static final int[][] OWN_INCLUSION = {
    {0, 1}, {0, 2}, {1, 2}, {2, 3}, {0, 5}, {4, 5}, {3, 7}, {6, 7}, {7, 8}, {8, 9}, {0, 16},
    {15, 16}, {16, 17}, {5, 13}, {12, 13}, {0, 20}, {10, 20}, {19, 20}
  };
  private static final int[][] OWN_CONSISTENCY = {
    {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {3, 7}, {5, 8}, {7, 8}, {8, 9}, {1, 16}, {15, 16},
    {16, 17}, {6, 13}, {12, 13}, {7, 20}, {16, 20}, {19, 20}, {20, 20}
  };

  private MerkleVectorGenerator() {}

  /** Writes the file into {@code args[0]}, or into the repository's {@code spec/testvectors/}. */
  public static void main(String[] args) throws IOException {
    Path dir =
        args.length > 0
            ? Path.of(args[0])
            : TestVectorFiles.repositoryRoot().resolve(TestVectorFiles.DIRECTORY);
    Path out = dir.resolve(FILE_NAME);
    Files.writeString(out, generate(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The file's text. */
  public static String generate() {
    VectorFile v = new VectorFile();
    v.note("Published", "A value published by others (see the group's source), copied as data.")
        .note("EmptyTree", "The tree of no leaves: SHA-256 of the empty string.")
        .note("PowerOfTwo", "A tree whose size is a power of two: perfect, split in halves.")
        .note(
            "NotPowerOfTwo",
            "A tree whose size is not a power of two: split at the largest power of two smaller"
                + " than the size, not at the middle.")
        .note(
            "MidpointSplit",
            "The root a wrong implementation gets by splitting at ceil(n/2) instead of at the"
                + " largest power of two below n; it differs from RFC 6962's.")
        .note("NoLeafPrefix", "The root computed without the 0x00 prefix of leaf hashes.")
        .note("NoNodePrefix", "The root computed without the 0x01 prefix of interior nodes.")
        .note("FlippedBit", "One bit of one proof element is flipped.")
        .note("WrongIndex", "A valid audit path presented for another leaf index.")
        .note("WrongTreeSize", "A valid proof presented for another tree size.")
        .note("WrongLeaf", "A valid audit path presented with another leaf's hash.")
        .note("ExtraElement", "A valid proof with one more element appended.")
        .note("MissingElement", "A valid proof with its last element removed.")
        .note("SwappedRoots", "A valid consistency proof with the two roots exchanged.")
        .note("WrongRoot", "A valid proof checked against a root with one bit flipped.")
        .note(
            "EqualSizes",
            "A consistency proof between two trees of the same size: empty, and valid only when"
                + " the roots are equal.");
    List<byte[]> published = PUBLISHED_LEAVES.stream().map(HEX::parseHex).toList();
    List<byte[]> own = ownLeaves();
    treeHashes(v, published, own);
    inclusion(v, published, own);
    consistency(v, published, own);
    return v.format(
        "RFC 6962 Merkle tree hash, SHA-256",
        GENERATOR_VERSION,
        List.of(
            "RFC 6962 section 2.1 with SHA-256: leaf hash SHA-256(0x00 || leaf), interior node"
                + " SHA-256(0x01 || left || right), empty tree SHA-256(\"\"). Each group lists its"
                + " leaves (leaf inputs, not hashes). TreeHash: root is the tree hash of the"
                + " first treeSize leaves when result is valid, and is not when invalid."
                + " InclusionProof: path is the audit path of leafIndex in the tree of treeSize"
                + " leaves with root; a verifier must accept it if and only if result is valid."
                + " ConsistencyProof: proof shows that the tree of firstSize leaves (firstRoot) is"
                + " a prefix of the tree of secondSize leaves (secondRoot), valid or not.",
            "Generated by org.fedtrace.tlog.vectors.MerkleVectorGenerator; do not edit."));
  }

  private static List<byte[]> ownLeaves() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < OWN_LEAVES; i++) {
      out.add(Vectors.drbg("merkle leaf " + i, (i * 7) % 41));
    }
    return out;
  }

  private static ObjectNode leavesGroup(
      VectorFile v, String type, List<byte[]> leaves, boolean pub) {
    ObjectNode g = v.group(type);
    if (pub) {
      g.put("source", SOURCE);
    }
    hexList(g, "leaves", leaves);
    return g;
  }

  private static void treeHashes(VectorFile v, List<byte[]> published, List<byte[]> own) {
    ObjectNode g = leavesGroup(v, "TreeHash", published, true);
    for (int n = 0; n <= published.size(); n++) {
      byte[] expected = HEX.parseHex(PUBLISHED_ROOTS.get(n));
      requireEqual(expected, root(published, n), "published root of " + n + " leaves");
      ObjectNode t = v.test(g, "published root of the first " + n + " leaves", "Published");
      t.put("treeSize", n).put("root", PUBLISHED_ROOTS.get(n)).put("result", "valid");
    }
    g = leavesGroup(v, "TreeHash", own, false);
    for (int n = 0; n <= own.size(); n++) {
      String shape = n == 0 ? "EmptyTree" : Long.bitCount(n) == 1 ? "PowerOfTwo" : "NotPowerOfTwo";
      ObjectNode t = v.test(g, "root of the first " + n + " leaves", shape);
      t.put("treeSize", n).put("root", HEX.formatHex(root(own, n))).put("result", "valid");
    }
    for (int n : new int[] {5, 6, 9, 11, 20}) {
      byte[] wrong = midpointRoot(hashes(own.subList(0, n)));
      if (Arrays.equals(wrong, root(own, n))) {
        throw new IllegalStateException("the midpoint split of " + n + " leaves is RFC 6962's");
      }
      ObjectNode t = v.test(g, "midpoint split of " + n + " leaves", "MidpointSplit");
      t.put("treeSize", n).put("root", HEX.formatHex(wrong)).put("result", "invalid");
    }
    List<byte[]> unprefixed = own.subList(0, 2).stream().map(Sha256::hash).toList();
    ObjectNode t = v.test(g, "leaves hashed without 0x00", "NoLeafPrefix");
    t.put("treeSize", 2)
        .put("root", HEX.formatHex(MerkleHashes.nodeHash(unprefixed.get(0), unprefixed.get(1))))
        .put("result", "invalid");
    List<byte[]> four = hashes(own.subList(0, 4));
    byte[] noPrefix =
        Sha256.hash(Sha256.hash(four.get(0), four.get(1)), Sha256.hash(four.get(2), four.get(3)));
    t = v.test(g, "interior nodes hashed without 0x01", "NoNodePrefix");
    t.put("treeSize", 4).put("root", HEX.formatHex(noPrefix)).put("result", "invalid");
  }

  private static void inclusion(VectorFile v, List<byte[]> published, List<byte[]> own) {
    ObjectNode g = leavesGroup(v, "InclusionProof", published, true);
    for (Inclusion p : PUBLISHED_INCLUSION) {
      List<byte[]> path = p.path().stream().map(HEX::parseHex).toList();
      requireEqualLists(path, path(published, p.index(), p.size()), "published path " + p);
      inclusionTest(
          v.test(g, "published audit path of leaf " + p.index() + " of " + p.size(), "Published"),
          p.index(),
          p.size(),
          MerkleHashes.leafHash(published.get(p.index())),
          path,
          root(published, p.size()),
          true);
    }
    g = leavesGroup(v, "InclusionProof", own, false);
    for (int[] p : OWN_INCLUSION) {
      int i = p[0];
      int n = p[1];
      inclusionTest(
          v.test(g, "audit path of leaf " + i + " of " + n),
          i,
          n,
          MerkleHashes.leafHash(own.get(i)),
          path(own, i, n),
          root(own, n),
          true);
    }
    for (int[] p : new int[][] {{5, 13}, {10, 20}, {2, 3}}) {
      int i = p[0];
      int n = p[1];
      byte[] leaf = MerkleHashes.leafHash(own.get(i));
      List<byte[]> path = path(own, i, n);
      byte[] root = root(own, n);
      List<byte[]> flipped = copy(path);
      flipped.get(flipped.size() - 1)[7] ^= 0x10;
      String of = " (leaf " + i + " of " + n + ")";
      inclusionTest(v.test(g, "flipped bit" + of, "FlippedBit"), i, n, leaf, flipped, root, false);
      inclusionTest(v.test(g, "index + 1" + of, "WrongIndex"), i + 1, n, leaf, path, root, false);
      inclusionTest(v.test(g, "index - 1" + of, "WrongIndex"), i - 1, n, leaf, path, root, false);
      // Only sizes that change the path's shape: a path does not commit to sizes that do not.
      for (int size : new int[] {2 * n, i + 1}) {
        if (size != n && !verifies(leaf, i, size, path, root)) {
          inclusionTest(
              v.test(g, "tree size " + size + of, "WrongTreeSize"),
              i,
              size,
              leaf,
              path,
              root,
              false);
        }
      }
      inclusionTest(
          v.test(g, "another leaf" + of, "WrongLeaf"),
          i,
          n,
          MerkleHashes.leafHash(own.get(i + 1)),
          path,
          root,
          false);
      List<byte[]> longer = copy(path);
      longer.add(root);
      inclusionTest(
          v.test(g, "root appended" + of, "ExtraElement"), i, n, leaf, longer, root, false);
      inclusionTest(
          v.test(g, "last element removed" + of, "MissingElement"),
          i,
          n,
          leaf,
          path.subList(0, path.size() - 1),
          root,
          false);
      byte[] wrongRoot = root.clone();
      wrongRoot[0] ^= 0x01;
      inclusionTest(v.test(g, "wrong root" + of, "WrongRoot"), i, n, leaf, path, wrongRoot, false);
    }
  }

  private static void inclusionTest(
      ObjectNode t,
      long index,
      long size,
      byte[] leafHash,
      List<byte[]> path,
      byte[] root,
      boolean valid) {
    t.put("leafIndex", index).put("treeSize", size).put("leafHash", HEX.formatHex(leafHash));
    hexList(t, "path", path);
    t.put("root", HEX.formatHex(root)).put("result", valid ? "valid" : "invalid");
    if (verifies(leafHash, index, size, path, root) != valid) {
      throw new IllegalStateException("inclusion vector verifies " + !valid + ": " + t);
    }
  }

  private static boolean verifies(
      byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    try {
      MerkleVerifier.verifyInclusion(leafHash, index, size, path, root);
      return true;
    } catch (ProofException e) {
      return false;
    }
  }

  private static void consistency(VectorFile v, List<byte[]> published, List<byte[]> own) {
    ObjectNode g = leavesGroup(v, "ConsistencyProof", published, true);
    for (Consistency p : PUBLISHED_CONSISTENCY) {
      List<byte[]> proof = p.proof().stream().map(HEX::parseHex).toList();
      requireEqualLists(proof, proof(published, p.first(), p.second()), "published proof " + p);
      consistencyTest(
          v.test(
              g,
              "published proof from " + p.first() + " to " + p.second() + " leaves",
              p.first() == p.second()
                  ? new String[] {"Published", "EqualSizes"}
                  : new String[] {"Published"}),
          p.first(),
          p.second(),
          root(published, p.first()),
          root(published, p.second()),
          proof,
          true);
    }
    g = leavesGroup(v, "ConsistencyProof", own, false);
    for (int[] p : OWN_CONSISTENCY) {
      consistencyTest(
          v.test(
              g,
              "proof from " + p[0] + " to " + p[1] + " leaves",
              p[0] == p[1] ? new String[] {"EqualSizes"} : new String[0]),
          p[0],
          p[1],
          root(own, p[0]),
          root(own, p[1]),
          proof(own, p[0], p[1]),
          true);
    }
    for (int[] p : new int[][] {{6, 13}, {7, 20}, {3, 4}}) {
      int m = p[0];
      int n = p[1];
      byte[] r1 = root(own, m);
      byte[] r2 = root(own, n);
      List<byte[]> proof = proof(own, m, n);
      String of = " (" + m + " to " + n + ")";
      List<byte[]> flipped = copy(proof);
      flipped.get(0)[3] ^= 0x04;
      consistencyTest(v.test(g, "flipped bit" + of, "FlippedBit"), m, n, r1, r2, flipped, false);
      consistencyTest(v.test(g, "roots swapped" + of, "SwappedRoots"), m, n, r2, r1, proof, false);
      for (int[] sizes : new int[][] {{m + 1, n}, {m - 1, n}, {m, 2 * n}, {m, n + 1}}) {
        if (!consistent(sizes[0], sizes[1], r1, r2, proof)) {
          consistencyTest(
              v.test(g, "sizes " + sizes[0] + " to " + sizes[1] + of, "WrongTreeSize"),
              sizes[0],
              sizes[1],
              r1,
              r2,
              proof,
              false);
        }
      }
      List<byte[]> longer = copy(proof);
      longer.add(r2);
      consistencyTest(v.test(g, "root appended" + of, "ExtraElement"), m, n, r1, r2, longer, false);
      consistencyTest(
          v.test(g, "last element removed" + of, "MissingElement"),
          m,
          n,
          r1,
          r2,
          proof.subList(0, proof.size() - 1),
          false);
      byte[] wrong = r1.clone();
      wrong[31] ^= (byte) 0x80;
      consistencyTest(
          v.test(g, "wrong first root" + of, "WrongRoot"), m, n, wrong, r2, proof, false);
    }
    consistencyTest(
        v.test(g, "equal sizes, different roots", "EqualSizes"),
        9,
        9,
        root(own, 9),
        root(own, 8),
        List.of(),
        false);
    consistencyTest(
        v.test(g, "equal sizes with a non-empty proof", "EqualSizes", "ExtraElement"),
        9,
        9,
        root(own, 9),
        root(own, 9),
        List.of(root(own, 9)),
        false);
  }

  private static void consistencyTest(
      ObjectNode t,
      long first,
      long second,
      byte[] firstRoot,
      byte[] secondRoot,
      List<byte[]> proof,
      boolean valid) {
    t.put("firstSize", first).put("secondSize", second);
    t.put("firstRoot", HEX.formatHex(firstRoot)).put("secondRoot", HEX.formatHex(secondRoot));
    hexList(t, "proof", proof);
    t.put("result", valid ? "valid" : "invalid");
    if (consistent(first, second, firstRoot, secondRoot, proof) != valid) {
      throw new IllegalStateException("consistency vector verifies " + !valid + ": " + t);
    }
  }

  private static boolean consistent(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    try {
      MerkleVerifier.verifyConsistency(first, second, firstRoot, secondRoot, proof);
      return true;
    } catch (ProofException e) {
      return false;
    }
  }

  /** Leaf hashes of {@code leaves}. */
  static List<byte[]> hashes(List<byte[]> leaves) {
    return leaves.stream().map(MerkleHashes::leafHash).toList();
  }

  /** The root of the first {@code n} leaves, from stored subtrees as the log computes it. */
  static byte[] root(List<byte[]> leaves, long n) {
    return n == 0 ? MerkleHashes.emptyRoot() : new MerkleTree.Range(0, n).hash(stored(leaves));
  }

  static List<byte[]> path(List<byte[]> leaves, long index, long size) {
    return MerkleTree.hashes(MerkleTree.inclusionPath(index, size), stored(leaves));
  }

  static List<byte[]> proof(List<byte[]> leaves, long first, long second) {
    return MerkleTree.hashes(MerkleTree.consistencyPath(first, second), stored(leaves));
  }

  /** Every subtree hash of the tree of {@code leaves}, appended as the log appends. */
  private static java.util.Map<NodeId, byte[]> stored(List<byte[]> leaves) {
    java.util.Map<NodeId, byte[]> nodes = new java.util.HashMap<>();
    for (int i = 0; i < leaves.size(); i++) {
      nodes.putAll(MerkleTree.parentsCompletedBy(i, MerkleHashes.leafHash(leaves.get(i)), nodes));
    }
    return nodes;
  }

  private static byte[] midpointRoot(List<byte[]> leafHashes) {
    int n = leafHashes.size();
    if (n == 1) {
      return leafHashes.get(0);
    }
    int k = (n + 1) / 2;
    return MerkleHashes.nodeHash(
        midpointRoot(leafHashes.subList(0, k)), midpointRoot(leafHashes.subList(k, n)));
  }

  private static List<byte[]> copy(List<byte[]> hashes) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] h : hashes) {
      out.add(h.clone());
    }
    return out;
  }

  private static void requireEqual(byte[] expected, byte[] actual, String what) {
    if (!Arrays.equals(expected, actual)) {
      throw new IllegalStateException("fedtrace disagrees with the " + what);
    }
  }

  private static void requireEqualLists(List<byte[]> expected, List<byte[]> actual, String what) {
    if (expected.size() != actual.size()) {
      throw new IllegalStateException("fedtrace disagrees with the " + what);
    }
    for (int i = 0; i < expected.size(); i++) {
      requireEqual(expected.get(i), actual.get(i), what);
    }
  }
}
