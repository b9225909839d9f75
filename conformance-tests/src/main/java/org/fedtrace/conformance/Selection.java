package org.fedtrace.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which cases to run, as {@code --only} names them: rule ids ({@code R8.19}), whole sections
 * ({@code R8}) or case names ({@code R8_19_rejectsOriginNotSignerCountry}).
 */
public final class Selection {
  private Selection() {}

  /**
   * The filter for {@code items}; every case when it is empty.
   *
   * @throws IllegalArgumentException naming an item that selects no case
   */
  public static Predicate<CaseInfo> of(List<String> items) {
    if (items.isEmpty()) {
      return c -> true;
    }
    List<Predicate<CaseInfo>> parts = new ArrayList<>();
    List<CaseInfo> all = Catalogue.cases();
    for (String raw : items) {
      String item = raw.trim();
      Predicate<CaseInfo> p =
          item.matches("R\\d+")
              ? c -> c.rule().startsWith(item + ".")
              : item.matches("R\\d+\\.\\d+")
                  ? c -> c.rule().equals(item)
                  : c -> c.name().equals(item);
      if (all.stream().noneMatch(p)) {
        throw new IllegalArgumentException(
            "'"
                + item
                + "' selects no case (give rule ids like R8.19, sections like R8, or case names)");
      }
      parts.add(p);
    }
    return c -> parts.stream().anyMatch(p -> p.test(c));
  }
}
