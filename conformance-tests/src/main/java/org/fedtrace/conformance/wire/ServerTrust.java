package org.fedtrace.conformance.wire;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.fedtrace.conformance.kit.Identity;

/**
 * How the suite checks the node's certificate before sending anything (R6.9, a client's duty): it
 * chains to the federation authority, is valid now, has id-kp-serverAuth, and carries a valid
 * identity, equal to the node's when the kit names it. Host names are not checked: the identity URI
 * is what names an operator (§2.3). Remembers the last identity seen, for R7.2.
 */
final class ServerTrust extends X509ExtendedTrustManager {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private final X509Certificate authority;
  private final Optional<Identity> expected;
  private volatile Identity seen;

  ServerTrust(X509Certificate authority, Optional<Identity> expected) {
    this.authority = authority;
    this.expected = expected;
  }

  /** The identity of the last server certificate accepted. */
  Optional<Identity> seen() {
    return Optional.ofNullable(seen);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the node presented no certificate");
    }
    X509Certificate leaf = chain[0];
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "the node's certificate does not chain to the federation authority: " + e.getMessage(),
          e);
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable extended key usage", e);
    }
    if (eku == null || !eku.contains(SERVER_AUTH)) {
      throw new CertificateException("the node's certificate lacks id-kp-serverAuth");
    }
    Identity id =
        Identity.of(leaf)
            .orElseThrow(() -> new CertificateException("the node's certificate has no identity"));
    if (expected.isPresent() && !expected.get().equals(id)) {
      throw new CertificateException("the node is " + id + ", the kit names " + expected.get());
    }
    seen = id;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the suite is only a client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {authority};
  }
}
