package org.fedtrace.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;

/**
 * The deployment files of {@code deploy/} (beside the node module), read as the tools that use them
 * read them, and the node.yaml they hold read by the node's own configuration reader.
 */
final class DeployFiles {
  static final Path ROOT = Path.of("..", "deploy");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DeployFiles() {}

  /** Every YAML document of every file in {@code folder}, by file name, in file order. */
  static Map<String, List<JsonNode>> documents(Path folder) throws IOException {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      List<JsonNode> docs = new ArrayList<>();
      YAML.readerFor(JsonNode.class)
          .readValues(f.toFile())
          .forEachRemaining(d -> docs.add((JsonNode) d));
      out.put(f.getFileName().toString(), docs);
    }
    return out;
  }

  /** A YAML or JSON tree. */
  static JsonNode tree(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }

  /**
   * A node configuration read by {@link NodeConfig#load} from {@code yaml}, via {@code scratch}.
   */
  static NodeConfig nodeConfig(String yaml, Path scratch)
      throws IOException, InvalidConfigException {
    Path file = Files.createTempFile(scratch, "node", ".yaml");
    Files.writeString(file, yaml);
    return NodeConfig.load(file);
  }
}
