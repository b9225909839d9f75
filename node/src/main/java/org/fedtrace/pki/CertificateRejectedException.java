package org.fedtrace.pki;

import java.security.cert.CertificateException;

/**
 * A certificate (chain) that is not acceptable for the purpose it was presented for. {@link
 * #reason} says which check failed, so that callers can map it to a status code; the message says
 * what was wrong for a log.
 */
public final class CertificateRejectedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Which check refused the certificate. */
  public enum Reason {
    /** No certificate was presented. */
    NO_CERTIFICATE,
    /** Not decodable, or with a critical extension fedtrace does not know. */
    MALFORMED,
    /** Not signed by the federation authority, or presented with a foreign chain. */
    UNTRUSTED_ISSUER,
    /** The certificate (or the federation authority's) is past its notAfter time. */
    EXPIRED,
    /** The certificate (or the federation authority's) is before its notBefore time. */
    NOT_YET_VALID,
    /**
     * Signed by the authority but not made for this purpose: a CA certificate, or key usage,
     * extended key usage or key type that does not fit (a signing certificate used for TLS, a TLS
     * certificate used to sign batches, a TLS certificate without clientAuth used by a client).
     */
    WRONG_PURPOSE,
    /** No operator identity, or one that is malformed or inconsistent with the subject. */
    NO_IDENTITY,
    /** Issued by the authority, and revoked by the agreement (spec §2.6). */
    REVOKED
  }

  private final Reason reason;

  /** A rejection for {@code reason}, described by {@code message}. */
  public CertificateRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Which check refused the certificate. */
  public Reason reason() {
    return reason;
  }
}
