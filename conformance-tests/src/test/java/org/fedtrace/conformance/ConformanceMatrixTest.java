package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Traceability from the rules of spec/protocol.md and spec/transparency.md through
 * spec/conformance.md to the catalogue, and the generated spec/conformance-matrix.md. Fails the
 * build when the three disagree (see conformance.md §8); {@code -Dconformance.writeMatrix=true}
 * rewrites the matrix.
 */
class ConformanceMatrixTest {
  private static final Path SPEC = Path.of("..", "spec");
  private static final Pattern HEADING = Pattern.compile("^### (R\\d+\\.\\d+) .*");
  private static final Pattern UNTESTABLE =
      Pattern.compile("^\\| (R\\d+\\.\\d+) \\| (MUST|SHOULD|MAY) \\| (.+) \\|$");
  private static final Pattern CASE_NAME = Pattern.compile("`(R\\d+_\\d+_[a-z][A-Za-z0-9]*)`");

  /** What conformance.md says about the rules. */
  private record Document(
      Map<String, Set<String>> casesByHeading,
      Map<String, String> untestable,
      List<String> levels) {}

  private static Document document() throws IOException {
    Map<String, Set<String>> cases = new LinkedHashMap<>();
    Map<String, String> untestable = new LinkedHashMap<>();
    List<String> levelErrors = new ArrayList<>();
    SpecRules spec = specRules();
    String current = null;
    boolean inUntestable = false;
    for (String line : Files.readAllLines(SPEC.resolve("conformance.md"), StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        inUntestable = line.startsWith("## 5. ");
        current = null;
      }
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        current = h.group(1);
        if (cases.put(current, new LinkedHashSet<>()) != null) {
          levelErrors.add(current + " has two headings");
        }
        continue;
      }
      if (line.startsWith("### ")) {
        current = null;
      }
      Matcher u = UNTESTABLE.matcher(line);
      if (inUntestable && u.matches()) {
        untestable.put(u.group(1), u.group(3));
        String level = spec.rule(u.group(1)).map(r -> r.level().name()).orElse("?");
        if (!level.equals(u.group(2))) {
          levelErrors.add(u.group(1) + " is " + level + " in the spec, " + u.group(2) + " in §5");
        }
      }
      if (current != null && line.startsWith("Cases:")) {
        Matcher c = CASE_NAME.matcher(line);
        while (c.find()) {
          cases.get(current).add(c.group(1));
        }
      }
    }
    return new Document(cases, untestable, levelErrors);
  }

  /** The documents whose rule lines the catalogue covers. */
  private static final List<String> RULE_DOCUMENTS = List.of("protocol.md", "transparency.md");

  private static SpecRules specRules() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String doc : RULE_DOCUMENTS) {
      texts.add(Files.readString(SPEC.resolve(doc), StandardCharsets.UTF_8));
    }
    return SpecRules.parse(texts.toArray(String[]::new));
  }

  /** The rules in numeric order of section, then number (R12.20 before R13.1). */
  private static List<SpecRules.Rule> ordered(SpecRules spec) {
    List<SpecRules.Rule> out = new ArrayList<>(spec.all());
    out.sort(
        java.util.Comparator.<SpecRules.Rule>comparingInt(r -> part(r.id(), 0))
            .thenComparingInt(r -> part(r.id(), 1)));
    return out;
  }

  private static int part(String id, int i) {
    return Integer.parseInt(id.substring(1).split("\\.")[i]);
  }

  /** Every rule a case checks: the one in its name and those of {@link Covers}. */
  private static Map<String, Set<String>> casesByRule() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (CaseInfo c : Catalogue.cases()) {
      out.computeIfAbsent(c.rule(), r -> new TreeSet<>()).add(c.name());
      for (String r : c.covers()) {
        out.computeIfAbsent(r, x -> new TreeSet<>()).add(c.name());
      }
    }
    return out;
  }

  @Test
  void specDocumentAndCatalogueAgree() throws IOException {
    SpecRules spec = specRules();
    Document doc = document();
    Map<String, Set<String>> byRule = casesByRule();
    List<String> problems = new ArrayList<>(doc.levels());
    for (SpecRules.Rule r : spec.all()) {
      boolean heading = doc.casesByHeading().containsKey(r.id());
      boolean listed = doc.untestable().containsKey(r.id());
      if (heading == listed) {
        problems.add(
            r.id() + (heading ? " is both a case and untestable" : " is in neither §4 nor §5"));
      }
      if (heading && !byRule.containsKey(r.id())) {
        problems.add(r.id() + " (" + r.level() + ") is declared testable but has no case");
      }
    }
    for (Map.Entry<String, Set<String>> e : byRule.entrySet()) {
      if (spec.rule(e.getKey()).isEmpty()) {
        problems.add(e.getValue() + " name rule " + e.getKey() + ", which the spec does not have");
      } else if (doc.untestable().containsKey(e.getKey())) {
        problems.add(e.getValue() + " check " + e.getKey() + ", which §5 calls untestable");
      } else if (!e.getValue().equals(doc.casesByHeading().getOrDefault(e.getKey(), Set.of()))) {
        problems.add(
            e.getKey()
                + ": conformance.md lists "
                + doc.casesByHeading().get(e.getKey())
                + ", the catalogue has "
                + e.getValue());
      }
    }
    Set<String> documented = new TreeSet<>(doc.casesByHeading().keySet());
    documented.addAll(doc.untestable().keySet());
    for (String id : documented) {
      if (spec.rule(id).isEmpty()) {
        problems.add("conformance.md names " + id + ", which the spec does not have");
      }
    }
    for (Map.Entry<String, Set<String>> e : doc.casesByHeading().entrySet()) {
      if (!byRule.containsKey(e.getKey()) && !e.getValue().isEmpty()) {
        problems.add(
            e.getKey() + ": conformance.md lists cases the catalogue lacks: " + e.getValue());
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void matrixIsUpToDate() throws IOException {
    String generated = matrix(specRules(), document(), casesByRule());
    Path file = SPEC.resolve("conformance-matrix.md");
    if (Boolean.getBoolean("conformance.writeMatrix")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertEquals(
        generated,
        committed,
        "spec/conformance-matrix.md is out of date; regenerate it with"
            + " -Dconformance.writeMatrix=true (spec/conformance.md §8)");
  }

  private static String matrix(SpecRules spec, Document doc, Map<String, Set<String>> byRule) {
    Map<String, CaseInfo> cases = new LinkedHashMap<>();
    Catalogue.cases().forEach(c -> cases.put(c.name(), c));
    long must = spec.all().stream().filter(r -> r.level() == SpecRules.Level.MUST).count();
    long mustTested =
        spec.all().stream()
            .filter(r -> r.level() == SpecRules.Level.MUST && byRule.containsKey(r.id()))
            .count();
    StringBuilder out = new StringBuilder();
    out.append("# Conformance matrix: spec rule → cases\n\n")
        .append("Generated by `ConformanceMatrixTest` from [protocol.md](protocol.md),")
        .append(" [transparency.md](transparency.md),")
        .append(" [conformance.md](conformance.md) and the catalogue in `conformance-tests/`;")
        .append(" do not edit by hand (conformance.md §8 says how to regenerate it).\n\n")
        .append(
            String.format(
                "%d rules: %d MUST, of which %d have cases; %d cases in all; %d rules no client"
                    + " can check (conformance.md §5).%n%n",
                spec.all().size(), must, mustTested, cases.size(), doc.untestable().size()))
        .append("In parentheses: what a case needs beyond the core RPCs (it is skipped otherwise;")
        .append(" conformance.md §2). Reference node: cases our node is known to fail")
        .append(" (conformance.md §7).\n\n")
        .append("| Rule | Level | Code | Cases | Reference node |\n")
        .append("|---|---|---|---|---|\n");
    for (SpecRules.Rule r : ordered(spec)) {
      Set<String> names = byRule.getOrDefault(r.id(), Set.of());
      String code = r.code().equals("-") ? "–" : r.code();
      if (names.isEmpty()) {
        out.append(
            String.format(
                "| %s | %s | %s | not testable: %s | |%n",
                r.id(), r.level(), code, doc.untestable().getOrDefault(r.id(), "?")));
        continue;
      }
      List<String> listed = new ArrayList<>();
      List<String> deviations = new ArrayList<>();
      for (String n : names) {
        CaseInfo c = cases.get(n);
        List<String> needs = new ArrayList<>();
        c.needs().forEach(x -> needs.add(x.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        if (c.slow()) {
          needs.add("slow");
        }
        listed.add("`" + n + "`" + (needs.isEmpty() ? "" : " (" + String.join(", ", needs) + ")"));
        if (KnownDeviations.CASES.containsKey(n)) {
          deviations.add("fails `" + n + "`");
        }
      }
      out.append(
          String.format(
              "| %s | %s | %s | %s | %s |%n",
              r.id(),
              r.level(),
              code,
              String.join("<br>", listed),
              deviations.isEmpty() ? "passes" : String.join("<br>", deviations)));
    }
    return out.toString();
  }
}
