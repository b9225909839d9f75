package org.fedtrace.conformance;

import java.lang.reflect.Method;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case of the catalogue: a public no-argument method of a case class whose name starts with the
 * spec rule id it checks, {@code R8_19_rejectsOriginNotSignerCountry} for R8.19.
 *
 * @param rule the rule id, e.g. "R8.19"
 * @param method the case method
 * @param needs what the case needs (from {@link Needs})
 * @param slow whether the case is marked {@link Slow}
 * @param covers further rules the case checks ({@link Covers})
 */
public record CaseInfo(
    String rule, Method method, List<Need> needs, boolean slow, List<String> covers) {
  /** The name pattern of case methods. */
  public static final Pattern NAME = Pattern.compile("^R(\\d+)_(\\d+)_[a-z][A-Za-z0-9]*$");

  /** The case for {@code method}, whose name must match {@link #NAME}. */
  static CaseInfo of(Method method) {
    Matcher m = NAME.matcher(method.getName());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a case name: " + method.getName());
    }
    Needs needs = method.getAnnotation(Needs.class);
    Covers covers = method.getAnnotation(Covers.class);
    return new CaseInfo(
        "R" + m.group(1) + "." + m.group(2),
        method,
        needs == null ? List.of() : List.of(needs.value()),
        method.isAnnotationPresent(Slow.class),
        covers == null ? List.of() : List.of(covers.value()));
  }

  /** The method name: the case's name in reports. */
  public String name() {
    return method.getName();
  }

  /** The spec section of the rule, for ordering. */
  int section() {
    return Integer.parseInt(rule.substring(1, rule.indexOf('.')));
  }

  /** The rule number within its section, for ordering. */
  int number() {
    return Integer.parseInt(rule.substring(rule.indexOf('.') + 1));
  }
}
