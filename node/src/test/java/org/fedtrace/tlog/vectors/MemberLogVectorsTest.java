package org.fedtrace.tlog.vectors;

import static org.fedtrace.tlog.vectors.Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.batch.vectors.TestVectorFiles;
import org.fedtrace.tlog.LogEntries;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link LogEntries} against {@code spec/testvectors/member_log_entry_v1.json} (member
 * origins, transparency.md §5.1.1, R26.16), and that the file is what the generator writes.
 */
class MemberLogVectorsTest {
  private static final JsonNode VECTORS = TestVectorFiles.read(MemberLogVectorGenerator.FILE_NAME);

  @Test
  void everyVectorHoldsForFedtrace() {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (JsonNode group : VECTORS.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        count++;
        String failure =
            switch (group.get("type").asText()) {
              case "LogEntryEncoding" -> LogVectorsTest.entry(t, new ArrayList<>());
              case "LeafDecoding" -> decoding(t);
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

  private static String decoding(JsonNode t) {
    try {
      LogEntries.decode(HEX.parseHex(t.get("leaf").asText()), 0);
      return "the decoder accepts it";
    } catch (IllegalArgumentException expected) {
      return "";
    }
  }

  @Test
  void aMemberEntryNamesItsMemberAndKeepsTheLabelsApart() {
    JsonNode first = VECTORS.get("testGroups").get(0).get("tests").get(0);
    String leaf = first.get("leaf").asText();
    // "fedtrace.v1.member-log-entry" 00, type 01, time, subject, then 05 "US-ny"
    assertTrue(leaf.startsWith("66656474726163652e76312e6d656d6265722d6c6f672d656e7472790001"));
    assertEquals("0555532d6e79", leaf.substring(2 * (29 + 1 + 8 + 32), 2 * (29 + 1 + 8 + 32 + 6)));
  }

  @Test
  void checkedInFileIsWhatTheGeneratorWrites() throws IOException {
    String name = MemberLogVectorGenerator.FILE_NAME;
    assertTrue(
        Files.readString(TestVectorFiles.file(name)).equals(MemberLogVectorGenerator.generate()),
        name + " differs from the generator's output; regenerate it (spec/testvectors/README.md)");
  }
}
