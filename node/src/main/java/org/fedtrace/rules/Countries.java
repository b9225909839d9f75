package org.fedtrace.rules;

import java.util.Locale;
import java.util.Set;

/** ISO 3166-1 alpha-2 country codes, as the JDK knows them. */
public final class Countries {
  private static final Set<String> CODES = Set.of(Locale.getISOCountries());

  private Countries() {}

  /** True for an assigned ISO 3166-1 alpha-2 code in upper case, such as "DE". */
  public static boolean isCountryCode(String code) {
    return code != null && code.length() == 2 && CODES.contains(code);
  }
}
