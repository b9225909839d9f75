package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.ProofException;
import org.junit.jupiter.api.Test;

/**
 * Checks fedtrace's Merkle tree against {@code spec/testvectors/merkle_tree_rfc6962.json}: tree
 * hashes computed from stored subtrees, proofs generated the same way, and the verifier's verdict
 * on every valid and invalid proof. Also checks that the file is what the generator writes.
 */
class MerkleVectorsTest {
  private static final JsonNode VECTORS = TestVectorFiles.read(MerkleVectorGenerator.FILE_NAME);

  @Test
  void everyVectorHoldsForFedtrace() {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      List<byte[]> leaves = hexList(group.get("leaves"));
      for (JsonNode t : group.get("tests")) {
        count++;
        String failure =
            switch (group.get("type").asText()) {
              case "TreeHash" -> treeHash(leaves, t);
              case "InclusionProof" -> inclusion(leaves, t);
              case "ConsistencyProof" -> consistency(leaves, t);
              default -> "unknown group type " + group.get("type");
            };
        if (!failure.isEmpty()) {
          failures.add(
              "tcId " + t.get("tcId") + " (" + t.get("comment").asText() + "): " + failure);
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(VECTORS.get("numberOfTests").asInt(), count);
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String name = MerkleVectorGenerator.FILE_NAME;
    assertTrue(
        Files.readString(TestVectorFiles.file(name)).equals(MerkleVectorGenerator.generate()),
        name + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }

  private static String treeHash(List<byte[]> leaves, JsonNode t) {
    byte[] root = MerkleVectorGenerator.root(leaves, t.get("treeSize").asLong());
    boolean equal = Arrays.equals(root, HEX.parseHex(t.get("root").asText()));
    return equal == valid(t) ? "" : "the computed root is " + HEX.formatHex(root);
  }

  private static String inclusion(List<byte[]> leaves, JsonNode t) {
    long index = t.get("leafIndex").asLong();
    long size = t.get("treeSize").asLong();
    List<byte[]> path = hexList(t.get("path"));
    if (valid(t) && !same(path, MerkleVectorGenerator.path(leaves, index, size))) {
      return "fedtrace generates another audit path";
    }
    try {
      MerkleVerifier.verifyInclusion(
          HEX.parseHex(t.get("leafHash").asText()),
          index,
          size,
          path,
          HEX.parseHex(t.get("root").asText()));
      return valid(t) ? "" : "an invalid audit path verifies";
    } catch (ProofException e) {
      return valid(t) ? "a valid audit path fails: " + e.getMessage() : "";
    }
  }

  private static String consistency(List<byte[]> leaves, JsonNode t) {
    long first = t.get("firstSize").asLong();
    long second = t.get("secondSize").asLong();
    List<byte[]> proof = hexList(t.get("proof"));
    if (valid(t) && !same(proof, MerkleVectorGenerator.proof(leaves, first, second))) {
      return "fedtrace generates another consistency proof";
    }
    try {
      MerkleVerifier.verifyConsistency(
          first,
          second,
          HEX.parseHex(t.get("firstRoot").asText()),
          HEX.parseHex(t.get("secondRoot").asText()),
          proof);
      return valid(t) ? "" : "an invalid consistency proof verifies";
    } catch (ProofException e) {
      return valid(t) ? "a valid consistency proof fails: " + e.getMessage() : "";
    }
  }

  private static boolean valid(JsonNode t) {
    return t.get("result").asText().equals("valid");
  }

  private static List<byte[]> hexList(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(n -> out.add(HEX.parseHex(n.asText())));
    return out;
  }

  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
