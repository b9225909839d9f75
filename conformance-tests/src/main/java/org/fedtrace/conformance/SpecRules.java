package org.fedtrace.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbered rules of the spec, parsed from the rule lines ({@code - **R8.2** (MUST,
 * FAILED_PRECONDITION) ...}, spec section 1.1) of spec/protocol.md and spec/transparency.md. The
 * suite ships the spec it was written against, so a remote run knows each rule's level without the
 * repository.
 */
public final class SpecRules {
  /** Where the build puts spec/protocol.md on the classpath. */
  public static final String RESOURCE = "/org/fedtrace/conformance/spec/protocol.md";

  /**
   * Where the build puts spec/transparency.md (rules R13 and R14) on the classpath, when it does; a
   * rule missing from the bundled spec counts as MUST.
   */
  public static final String TRANSPARENCY_RESOURCE =
      "/org/fedtrace/conformance/spec/transparency.md";

  private static final Pattern RULE_LINE =
      Pattern.compile("^- \\*\\*(R\\d+\\.\\d+)\\*\\* \\((MUST|SHOULD|MAY), ([A-Z_]+|-)\\) (.+)$");

  /** A requirement level of BCP 14. */
  public enum Level {
    MUST,
    SHOULD,
    MAY
  }

  /**
   * One rule line.
   *
   * @param id the rule id, e.g. "R8.19"
   * @param code the gRPC status code name the rule produces, or "-"
   * @param text the requirement sentence
   */
  public record Rule(String id, Level level, String code, String text) {}

  private final Map<String, Rule> rules;

  private SpecRules(Map<String, Rule> rules) {
    this.rules = Collections.unmodifiableMap(rules);
  }

  /** The rules of the spec shipped with the suite. */
  public static SpecRules bundled() {
    String protocol = resource(RESOURCE);
    if (protocol == null) {
      throw new IllegalStateException("the suite's copy of the spec is missing: " + RESOURCE);
    }
    String transparency = resource(TRANSPARENCY_RESOURCE);
    return transparency == null ? parse(protocol) : parse(protocol, transparency);
  }

  private static String resource(String name) {
    try (InputStream in = SpecRules.class.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  /**
   * Parses the rule lines of one or more spec documents, in order.
   *
   * @throws IllegalArgumentException if a rule id appears twice
   */
  public static SpecRules parse(String... markdown) {
    Map<String, Rule> out = new LinkedHashMap<>();
    for (String line : String.join("\n", markdown).split("\n", -1)) {
      Matcher m = RULE_LINE.matcher(line.stripTrailing());
      if (m.matches()) {
        Rule r = new Rule(m.group(1), Level.valueOf(m.group(2)), m.group(3), m.group(4));
        if (out.put(r.id(), r) != null) {
          throw new IllegalArgumentException("rule " + r.id() + " appears twice in the spec");
        }
      }
    }
    return new SpecRules(out);
  }

  /** The rule with {@code id}, if the spec has it. */
  public Optional<Rule> rule(String id) {
    return Optional.ofNullable(rules.get(id));
  }

  /** Every rule, in document order. */
  public List<Rule> all() {
    return new ArrayList<>(rules.values());
  }
}
