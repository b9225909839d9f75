package org.fedtrace.rules;

import java.util.Locale;
import java.util.Set;

/** Country codes: the wire syntax, and ISO 3166-1 alpha-2 membership. */
public final class Countries {
  private static final Set<String> CODES = Set.of(Locale.getISOCountries());

  private Countries() {}

  /** True for exactly two ASCII letters A..Z, the syntax of every country field on the wire. */
  public static boolean hasCodeSyntax(String code) {
    return code != null
        && code.length() == 2
        && code.charAt(0) >= 'A'
        && code.charAt(0) <= 'Z'
        && code.charAt(1) >= 'A'
        && code.charAt(1) <= 'Z';
  }

  /** True for an assigned ISO 3166-1 alpha-2 code in upper case, such as "DE". */
  public static boolean isCountryCode(String code) {
    return code != null && code.length() == 2 && CODES.contains(code);
  }
}
