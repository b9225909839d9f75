package org.fedtrace.transport;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.pki.CertificatePurpose;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.FederationTrustManager;
import org.fedtrace.pki.OperatorIdentity;

/**
 * Builds every TLS context fedtrace uses, in one place: TLS 1.3 only, client certificates required
 * by servers, trust anchored in the federation authority alone. Uses BoringSSL through
 * netty-tcnative when it is available (cheaper handshakes), the JDK's TLS otherwise.
 */
public final class MutualTls {
  private static final String TLS_1_3 = "TLSv1.3";

  private MutualTls() {}

  /** The provider in use: OpenSSL (BoringSSL) when its native library loads, else the JDK. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /**
   * The server context of a node: presents {@code tls}, requires a client certificate that the
   * federation authority issued for client authentication.
   */
  public static SslContext server(Credential tls, CertificateValidator validator, Clock clock)
      throws SSLException {
    return server(tls, validator, clock, RefusedHandshakes.Listener.none());
  }

  /**
   * {@link #server(Credential, CertificateValidator, Clock)}, telling {@code refusals} of every
   * client certificate it refuses (each also logged, and answered with the alert of its reason).
   */
  public static SslContext server(
      Credential tls,
      CertificateValidator validator,
      Clock clock,
      RefusedHandshakes.Listener refusals)
      throws SSLException {
    return GrpcSslContexts.configure(
            SslContextBuilder.forServer(tls.privateKey(), tls.certificate()), provider())
        .trustManager(
            RefusedHandshakes.reporting(
                new FederationTrustManager(validator, clock), "client", refusals))
        .clientAuth(ClientAuth.REQUIRE)
        .protocols(TLS_1_3)
        .build();
  }

  /**
   * The context of the public transparency endpoint (spec transparency.md §14), the one listener
   * without mutual TLS: presents {@code tls} (TLS 1.3 is set on its parameters by the endpoint) and
   * asks for no client certificate, since it serves only public, read-only data.
   */
  public static SSLContext publicServer(Credential tls) throws GeneralSecurityException {
    return publicServer(tls.privateKey(), List.of(tls.certificate()));
  }

  /**
   * {@link #publicServer(Credential)} with a certificate chain of the operator's choice, such as
   * one browsers trust, leaf first.
   */
  public static SSLContext publicServer(PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("JKS");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory key store", e);
    }
    char[] none = new char[0];
    store.setKeyEntry("public", key, none, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, none);
    SSLContext context = SSLContext.getInstance(TLS_1_3);
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** The protocols of the public endpoint: TLS 1.3 only, as every other listener. */
  public static String[] publicProtocols() {
    return new String[] {TLS_1_3};
  }

  /**
   * The client context for calling the peer {@code expected}: presents {@code tls} and accepts only
   * a server certificate issued by the federation authority for server authentication that names
   * exactly {@code expected} (R6.9).
   */
  public static SslContext client(
      Credential tls, CertificateValidator validator, Clock clock, OperatorIdentity expected)
      throws SSLException {
    return clients(tls, validator, clock).forPeer(expected);
  }

  /**
   * A maker of client contexts for one node: the node's key material is prepared once and shared by
   * the contexts of all its peers (a node of a hundred-member federation needs a hundred).
   */
  public static Clients clients(Credential tls, CertificateValidator validator, Clock clock) {
    return new Clients(
        CertificateKeys.keyManagerFactory(tls.privateKey(), tls.certificate()), validator, clock);
  }

  /** Client contexts of one node, one per peer. Thread-safe. */
  public static final class Clients {
    private final KeyManagerFactory keys;
    private final CertificateValidator validator;
    private final Clock clock;

    private Clients(KeyManagerFactory keys, CertificateValidator validator, Clock clock) {
      this.keys = keys;
      this.validator = validator;
      this.clock = clock;
    }

    /** The client context for calling {@code expected}. */
    public SslContext forPeer(OperatorIdentity expected) throws SSLException {
      return GrpcSslContexts.configure(SslContextBuilder.forClient(), provider())
          .keyManager(keys)
          .trustManager(
              RefusedHandshakes.reporting(
                  new ExpectedServer(validator, clock, expected),
                  "server",
                  RefusedHandshakes.Listener.none()))
          .protocols(TLS_1_3)
          .build();
    }
  }

  /** Accepts a server certificate only when it names the peer the client meant to call. */
  private static final class ExpectedServer implements X509TrustManager {
    private final CertificateValidator validator;
    private final Clock clock;
    private final OperatorIdentity expected;

    ExpectedServer(CertificateValidator validator, Clock clock, OperatorIdentity expected) {
      this.validator = validator;
      this.clock = clock;
      this.expected = expected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      OperatorIdentity actual =
          validator.validate(
              chain == null ? java.util.List.of() : Arrays.asList(chain),
              CertificatePurpose.TLS_SERVER,
              clock.instant());
      if (!actual.equals(expected)) {
        throw new CertificateRejectedException(
            CertificateRejectedException.Reason.NO_IDENTITY,
            "the server is " + actual + ", not the expected peer " + expected);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a client context does not authenticate clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[] {validator.authority()};
    }
  }
}
