package org.fedtrace.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the fedtrace metrics that PromQL expressions (a Grafana dashboard, Prometheus rules) name
 * against what a node serves: every {@code fedtrace_} series name, every label a selector matches
 * on, and every label value a selector asks for exactly ({@code label="value"}). Prometheus' own
 * series ({@code up}) and the labels it adds at scrape time ({@code instance}, {@code job}) are not
 * the node's.
 */
final class MetricReferences {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s", Pattern.MULTILINE);
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SELECTOR =
      Pattern.compile("\\b(fedtrace_[a-zA-Z0-9_]+)\\b\\s*(\\{([^}]*)\\})?");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("instance", "job");
  private static final Set<String> QUERY_FIELDS = Set.of("expr", "query", "definition");

  /** Series served: name, then label, then the values seen. */
  private final Map<String, Map<String, Set<String>>> served = new HashMap<>();

  private MetricReferences() {}

  /** What one or more Prometheus text expositions serve. */
  static MetricReferences served(String... expositions) {
    MetricReferences r = new MetricReferences();
    for (String text : expositions) {
      Matcher m = SAMPLE.matcher(text);
      while (m.find()) {
        Map<String, Set<String>> labels =
            r.served.computeIfAbsent(m.group(1), k -> new HashMap<>());
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            labels.computeIfAbsent(l.group(1), k -> new HashSet<>()).add(l.group(2));
          }
        }
      }
    }
    return r;
  }

  /** Every series name served. */
  Set<String> names() {
    return served.keySet();
  }

  /** What {@code expr} (found at {@code where}) names that is not served; empty when all is. */
  List<String> problems(String where, String expr) {
    List<String> out = new ArrayList<>();
    Matcher s = SELECTOR.matcher(expr);
    while (s.find()) {
      String name = s.group(1);
      Map<String, Set<String>> labels = served.get(name);
      if (labels == null) {
        out.add(where + ": " + name + " is not served");
        continue;
      }
      if (s.group(3) == null) {
        continue;
      }
      Matcher m = MATCHER.matcher(s.group(3));
      while (m.find()) {
        String label = m.group(1);
        if (ADDED_BY_PROMETHEUS.contains(label)) {
          continue;
        }
        if (!labels.containsKey(label)) {
          out.add(where + ": " + name + " has no label " + label);
        } else if (m.group(2).equals("=") && !labels.get(label).contains(m.group(3))) {
          out.add(
              where
                  + ": "
                  + name
                  + "{"
                  + label
                  + "=\""
                  + m.group(3)
                  + "\"} is never served (seen: "
                  + labels.get(label)
                  + ")");
        }
      }
    }
    return out;
  }

  /** The PromQL expressions of a Grafana dashboard: its panels' targets and its variables. */
  static Map<String, String> dashboardExpressions(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    collect(dashboard, "dashboard", out);
    return out;
  }

  private static void collect(JsonNode node, String path, Map<String, String> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String here = path + "." + e.getKey();
        if (QUERY_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          out.put(here, e.getValue().asText());
        } else {
          collect(e.getValue(), here, out);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** The expressions of Prometheus rule files, by group and rule name. */
  static Map<String, String> ruleExpressions(JsonNode rules) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
        out.put(group.path("name").asText() + "/" + name, rule.path("expr").asText());
      }
    }
    return out;
  }
}
