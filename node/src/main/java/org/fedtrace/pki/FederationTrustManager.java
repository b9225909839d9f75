package org.fedtrace.pki;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS trust manager that accepts exactly the certificates {@link CertificateValidator} accepts:
 * issued by the federation authority, valid now, and made for the TLS end they are presented at
 * (clientAuth for clients, serverAuth for servers). Everything else fails the handshake with a
 * {@link CertificateRejectedException} naming the reason.
 *
 * <p>It deliberately implements the plain {@link X509TrustManager}: the TLS stack (the JDK's or
 * Netty's OpenSSL engine) then adds its own checks, including host name verification of servers
 * when the client asks for it, as gRPC does. Thread-safe.
 */
public final class FederationTrustManager implements X509TrustManager {
  private final CertificateValidator validator;
  private final Clock clock;

  /** Trusts what {@code validator} accepts at the time {@code clock} tells. */
  public FederationTrustManager(CertificateValidator validator, Clock clock) {
    this.validator = validator;
    this.clock = clock;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, CertificatePurpose.TLS_CLIENT);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, CertificatePurpose.TLS_SERVER);
  }

  /** The federation authority: the only issuer clients should choose a certificate from. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {validator.authority()};
  }

  private void check(X509Certificate[] chain, CertificatePurpose purpose)
      throws CertificateRejectedException {
    List<X509Certificate> certificates = chain == null ? List.of() : Arrays.asList(chain);
    validator.validate(certificates, purpose, clock.instant());
  }
}
