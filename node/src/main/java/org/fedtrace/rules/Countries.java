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

  /**
   * True for the syntax of an origin (spec §26.2): a country code, or a country code, {@code -} and
   * an operator id (1 to 32 of {@code a-z 0-9 -}), such as "DE" or "US-ny-doh".
   */
  public static boolean hasOriginSyntax(String origin) {
    if (origin == null || origin.length() == 2) {
      return hasCodeSyntax(origin);
    }
    if (origin.length() < 4 || origin.length() > 35 || origin.charAt(2) != '-') {
      return false;
    }
    for (int i = 3; i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return hasCodeSyntax(origin.substring(0, 2));
  }

  /** True for an assigned ISO 3166-1 alpha-2 code in upper case, such as "DE". */
  public static boolean isCountryCode(String code) {
    return code != null && code.length() == 2 && CODES.contains(code);
  }
}
