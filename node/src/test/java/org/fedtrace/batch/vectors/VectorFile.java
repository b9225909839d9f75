package org.fedtrace.batch.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Wycheproof-style vector file under construction: test groups holding tests numbered from 1,
 * each with a comment and flags that must be explained in the file's notes.
 */
public final class VectorFile {
  private final Map<String, String> notes;
  private final Set<String> usedFlags = new HashSet<>();
  private final ArrayNode groups = JsonNodeFactory.instance.arrayNode();
  private int tests;

  /**
   * @param notes flag name to its explanation, in the order the file lists them
   */
  VectorFile(Map<String, String> notes) {
    this.notes = notes;
  }

  /** A file whose notes are added with {@link #note}. */
  public VectorFile() {
    this(new LinkedHashMap<>());
  }

  /** Explains {@code flag}; every flag a test uses needs a note, and every note a use. */
  public VectorFile note(String flag, String text) {
    notes.put(flag, text);
    return this;
  }

  /** A new test group of {@code type}; the caller adds its parameters, then its tests. */
  public ObjectNode group(String type) {
    ObjectNode group = groups.addObject();
    group.put("type", type);
    return group;
  }

  /**
   * A new test in {@code group} with the next tcId, {@code comment} and {@code flags}; the caller
   * adds its fields and its {@code result}.
   *
   * @throws IllegalArgumentException if a flag has no note
   */
  public ObjectNode test(ObjectNode group, String comment, String... flags) {
    return test(group, comment, List.of(flags));
  }

  /** As {@link #test(ObjectNode, String, String...)}. */
  public ObjectNode test(ObjectNode group, String comment, List<String> flags) {
    ArrayNode list = group.has("tests") ? (ArrayNode) group.get("tests") : group.putArray("tests");
    ObjectNode t = list.addObject();
    t.put("tcId", ++tests);
    t.put("comment", comment);
    ArrayNode f = t.putArray("flags");
    for (String flag : flags) {
      if (!notes.containsKey(flag)) {
        throw new IllegalArgumentException("flag without a note: " + flag);
      }
      usedFlags.add(flag);
      f.add(flag);
    }
    return t;
  }

  /**
   * The file's text.
   *
   * @throws IllegalStateException if a note explains a flag that no test uses
   */
  public String format(String algorithm, String generatorVersion, List<String> header) {
    for (String flag : notes.keySet()) {
      if (!usedFlags.contains(flag)) {
        throw new IllegalStateException("note for an unused flag: " + flag);
      }
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("algorithm", algorithm);
    root.put("generatorVersion", generatorVersion);
    header.forEach(root.putArray("header")::add);
    root.put("numberOfTests", tests);
    ObjectNode n = root.putObject("notes");
    notes.forEach(n::put);
    root.set("testGroups", groups);
    return TestVectorFiles.format(root);
  }
}
