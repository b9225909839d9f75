package org.fedtrace.transport;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.fedtrace.pki.CertificateRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the TLS layer does with a certificate the federation's validator refuses: the handshake
 * fails with the TLS alert that names the reason (certificate_expired, certificate_revoked,
 * unsupported_certificate, unknown_ca, bad_certificate) instead of the TLS stack's internal_error,
 * the refusal is logged, and a listener counts it. The alert carries only what the peer presented;
 * the log names the certificate's subject and serial, never a key.
 */
public final class RefusedHandshakes {
  private static final Logger LOG = LoggerFactory.getLogger(RefusedHandshakes.class);

  /** Hears of every refused handshake, for the node's metrics. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param end {@code client} when a client's certificate was refused (this side serves), {@code
     *     server} when a server's was (this side calls)
     * @param reason why
     */
    void refused(String end, CertificateRejectedException.Reason reason);

    /** A listener that does nothing. */
    static Listener none() {
      return (end, reason) -> {};
    }
  }

  /** At most one log line a second for each end and reason (the metric counts them all). */
  private static final LogThrottle THROTTLE =
      new LogThrottle(java.util.concurrent.TimeUnit.SECONDS.toNanos(1), System::nanoTime);

  private RefusedHandshakes() {}

  /** {@code delegate}, reporting and translating its refusals of {@code end}'s certificates. */
  static X509TrustManager reporting(X509TrustManager delegate, String end, Listener listener) {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          delegate.checkClientTrusted(chain, authType);
        } catch (CertificateRejectedException e) {
          throw refused(end, chain, e, listener);
        }
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          delegate.checkServerTrusted(chain, authType);
        } catch (CertificateRejectedException e) {
          throw refused(end, chain, e, listener);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
      }
    };
  }

  private static CertificateException refused(
      String end, X509Certificate[] chain, CertificateRejectedException e, Listener listener) {
    X509Certificate first = chain == null || chain.length == 0 ? null : chain[0];
    String reason = e.reason().name().toLowerCase(java.util.Locale.ROOT);
    long leftOut = THROTTLE.admit(end + "/" + reason);
    if (leftOut >= 0) {
      LOG.warn(
          "event=tls_handshake_refused end={} reason={} subject=\"{}\" serial={} error=\"{}\""
              + " not_logged_since_last={}",
          end,
          reason,
          first == null ? "" : first.getSubjectX500Principal(),
          first == null ? "" : first.getSerialNumber().toString(16),
          e.getMessage(),
          leftOut);
    }
    try {
      listener.refused(end, e.reason());
    } catch (RuntimeException ignored) {
      // counting must never decide a handshake
    }
    return alert(e);
  }

  /**
   * The exception whose type the TLS stack turns into the alert for {@code e}'s reason: with
   * OpenSSL (BoringSSL through netty-tcnative), an {@link OpenSslCertificateException} carrying the
   * X.509 verification error whose alert fits; with the JDK's TLS, {@code e} itself (the JDK sends
   * bad_certificate or certificate_unknown for any trust manager refusal).
   */
  static CertificateException alert(CertificateRejectedException e) {
    if (!OpenSsl.isAvailable()) {
      return e;
    }
    int code =
        switch (e.reason()) {
          case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
          case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID;
          case REVOKED -> CertificateVerifier.X509_V_ERR_CERT_REVOKED;
          case WRONG_PURPOSE -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
          case UNTRUSTED_ISSUER -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
          case NO_CERTIFICATE, MALFORMED, NO_IDENTITY ->
              CertificateVerifier.X509_V_ERR_CERT_REJECTED;
        };
    return new OpenSslCertificateException(e.getMessage(), e, code);
  }
}
