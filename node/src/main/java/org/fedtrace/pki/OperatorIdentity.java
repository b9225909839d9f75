package org.fedtrace.pki;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who an operator is: its country (ISO 3166-1 alpha-2, upper case) and the operator id the
 * federation authority assigned to it (1 to 32 of {@code a-z 0-9 -}).
 *
 * <p>Certificates carry it as the URI {@code urn:fedtrace:operator:<CC>:<operator-id>}; {@link
 * #toString} is the short form {@code CC/operator-id} used in logs and messages.
 *
 * @param country ISO 3166-1 alpha-2 code, upper case
 * @param operatorId 1..32 characters of {@code [a-z0-9-]}
 */
public record OperatorIdentity(String country, String operatorId) {
  /** Prefix of the identity URI in the subjectAltName of every operator certificate. */
  public static final String URI_PREFIX = "urn:fedtrace:operator:";

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Pattern OPERATOR_ID = Pattern.compile("[a-z0-9-]{1,32}");

  /**
   * @throws IllegalArgumentException if either part is invalid; the message says which and why
   */
  public OperatorIdentity {
    requireCountry(country);
    if (operatorId == null || !OPERATOR_ID.matcher(operatorId).matches()) {
      throw new IllegalArgumentException(
          "'" + operatorId + "' is not an operator id (1 to 32 of a-z, 0-9 and -)");
    }
  }

  /**
   * Checks that {@code country} is an ISO 3166-1 alpha-2 code in upper case.
   *
   * @return {@code country}
   * @throws IllegalArgumentException if it is not
   */
  public static String requireCountry(String country) {
    if (country == null || !COUNTRIES.contains(country)) {
      String hint =
          country != null && COUNTRIES.contains(country.toUpperCase(Locale.ROOT))
              ? " (codes are upper case: " + country.toUpperCase(Locale.ROOT) + ")"
              : "";
      throw new IllegalArgumentException(
          country + " is not an ISO 3166-1 alpha-2 country code" + hint);
    }
    return country;
  }

  /**
   * Parses the identity URI {@code urn:fedtrace:operator:<CC>:<operator-id>}.
   *
   * @throws IllegalArgumentException if {@code uri} is not such a URI or names an invalid identity
   */
  public static OperatorIdentity fromUri(String uri) {
    if (!uri.startsWith(URI_PREFIX)) {
      throw new IllegalArgumentException("not a fedtrace operator URI: " + uri);
    }
    String rest = uri.substring(URI_PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a fedtrace operator URI: " + uri);
    }
    return new OperatorIdentity(rest.substring(0, colon), rest.substring(colon + 1));
  }

  /**
   * Parses {@code CC/operator-id}, the inverse of {@link #toString}.
   *
   * @throws IllegalArgumentException if {@code text} has no slash or names an invalid identity
   */
  public static OperatorIdentity parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected CC/operator-id, got '" + text + "'");
    }
    return new OperatorIdentity(text.substring(0, slash), text.substring(slash + 1));
  }

  /** The identity URI that operator certificates carry. */
  public String uri() {
    return URI_PREFIX + country + ":" + operatorId;
  }

  /** {@code CC/operator-id}. */
  @Override
  public String toString() {
    return country + "/" + operatorId;
  }
}
