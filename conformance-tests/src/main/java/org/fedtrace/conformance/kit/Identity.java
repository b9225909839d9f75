package org.fedtrace.conformance.kit;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operator identity (spec §2.3): a country and an operator id, carried by a certificate as the
 * URI {@code urn:fedtrace:operator:CC:ID}.
 */
public record Identity(String country, String operatorId) {
  /** The prefix of identity URIs. */
  public static final String URI_PREFIX = "urn:fedtrace:operator:";

  private static final Pattern URI =
      Pattern.compile("urn:fedtrace:operator:([A-Z]{2}):([a-z0-9-]{1,32})");
  private static final int URI_NAME = 6;

  /**
   * @throws IllegalArgumentException if the country or operator id has the wrong syntax
   */
  public Identity {
    if (!country.matches("[A-Z]{2}") || !operatorId.matches("[a-z0-9-]{1,32}")) {
      throw new IllegalArgumentException("not an operator identity: " + country + "/" + operatorId);
    }
  }

  /**
   * Parses {@code CC/operator-id}.
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static Identity parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected CC/operator-id, got '" + text + "'");
    }
    return new Identity(text.substring(0, slash), text.substring(slash + 1));
  }

  /** The identity URI of the certificate's subjectAltName, when it carries exactly one. */
  public static Optional<Identity> of(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      for (List<?> name : names == null ? List.<List<?>>of() : names) {
        if (((Integer) name.get(0)) == URI_NAME && name.get(1).toString().startsWith(URI_PREFIX)) {
          uris.add(name.get(1).toString());
        }
      }
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (uris.size() != 1) {
      return Optional.empty();
    }
    Matcher m = URI.matcher(uris.get(0));
    return m.matches() ? Optional.of(new Identity(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The identity URI. */
  public String uri() {
    return URI_PREFIX + country + ":" + operatorId;
  }

  @Override
  public String toString() {
    return country + "/" + operatorId;
  }
}
