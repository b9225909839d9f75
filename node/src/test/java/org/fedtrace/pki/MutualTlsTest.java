package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real TLS 1.3 handshakes on loopback between a gRPC server and client that both trust only the
 * federation authority through {@link FederationTrustManager}, with Netty's JDK and OpenSSL
 * (BoringSSL) engines.
 */
class MutualTlsTest {
  private static final OperatorIdentity SERVER = new OperatorIdentity("DE", "de-node");
  private static final OperatorIdentity CLIENT = new OperatorIdentity("FR", "fr-node");

  private final TestPki pki = TestPki.create();
  private final Credential serverTls = pki.member("DE", "de-node").tls();
  private final Recorder serverTrust = new Recorder(trustManager());
  private final Recorder clientTrust = new Recorder(trustManager());
  private final List<OperatorIdentity> callers = new CopyOnWriteArrayList<>();
  private final List<String> protocols = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  static List<SslProvider> providers() {
    List<SslProvider> providers = new ArrayList<>(List.of(SslProvider.JDK));
    if (OpenSsl.isAvailable()) {
      providers.add(SslProvider.OPENSSL);
    }
    return providers;
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void acceptsAMemberAndSeesItsIdentity(SslProvider provider) throws Exception {
    start(provider, serverTls);
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        call(provider, pki.member("FR", "fr-node").tls()));
    assertEquals(List.of(CLIENT), callers);
    assertEquals(List.of("TLSv1.3"), protocols);
    assertEquals(List.of(), serverTrust.rejections);
    assertEquals(List.of(), clientTrust.rejections);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesAClientWithoutCertificate(SslProvider provider) throws Exception {
    start(provider, serverTls);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class, () -> call(SslContextBuilder.forClient(), provider));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals(List.of(), callers);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesAnExpiredClient(SslProvider provider) throws Exception {
    start(provider, serverTls);
    assertRefused(provider, pki.expiredTls(CLIENT));
    assertEquals(List.of(CertificateRejectedException.Reason.EXPIRED), serverTrust.rejections);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesAClientOfAForeignAuthority(SslProvider provider) throws Exception {
    start(provider, serverTls);
    assertRefused(provider, pki.foreignCaTls(CLIENT));
    assertEquals(
        List.of(CertificateRejectedException.Reason.UNTRUSTED_ISSUER), serverTrust.rejections);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesASigningCertificateUsedForTls(SslProvider provider) throws Exception {
    start(provider, serverTls);
    assertRefused(provider, pki.member("FR", "fr-node").signing());
    // The JDK presents the Ed25519 certificate and the trust manager refuses it; BoringSSL's
    // client finds no certificate fit for the server's signature algorithms and sends none, so
    // the server ends the handshake with certificate_required before any trust decision.
    assertEquals(
        provider == SslProvider.JDK
            ? List.of(CertificateRejectedException.Reason.WRONG_PURPOSE)
            : List.of(),
        serverTrust.rejections);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesAClientCertificateWithoutClientAuth(SslProvider provider) throws Exception {
    start(provider, serverTls);
    assertRefused(provider, pki.tlsWithoutClientAuth(CLIENT));
    assertEquals(
        List.of(CertificateRejectedException.Reason.WRONG_PURPOSE), serverTrust.rejections);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void clientRefusesAServerCertificateWithoutServerAuth(SslProvider provider) throws Exception {
    start(provider, pki.tlsWithoutServerAuth(SERVER));
    assertRefused(provider, pki.member("FR", "fr-node").tls());
    assertEquals(
        List.of(CertificateRejectedException.Reason.WRONG_PURPOSE), clientTrust.rejections);
    assertEquals(List.of(), callers);
  }

  private void start(SslProvider provider, Credential tls) throws Exception {
    SslContext context =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(tls.privateKey(), tls.certificate()), provider)
            .trustManager(serverTrust)
            .clientAuth(ClientAuth.REQUIRE)
            .protocols("TLSv1.3")
            .build();
    HealthStatusManager health = new HealthStatusManager();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(context)
            .addService(ServerInterceptors.intercept(health.getHealthService(), new PeerRecorder()))
            .build()
            .start();
  }

  private HealthCheckResponse.ServingStatus call(SslProvider provider, Credential tls)
      throws Exception {
    return call(
        SslContextBuilder.forClient().keyManager(tls.privateKey(), tls.certificate()), provider);
  }

  private HealthCheckResponse.ServingStatus call(SslContextBuilder builder, SslProvider provider)
      throws Exception {
    SslContext context =
        GrpcSslContexts.configure(builder, provider)
            .trustManager(clientTrust)
            .protocols("TLSv1.3")
            .build();
    channel =
        NettyChannelBuilder.forAddress("localhost", server.getPort()).sslContext(context).build();
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  private void assertRefused(SslProvider provider, Credential tls) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> call(provider, tls));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(List.of(), callers);
  }

  private FederationTrustManager trustManager() {
    return new FederationTrustManager(pki.validator(), Clock.systemUTC());
  }

  /** What a node's peer-identity interceptor does: read the identity from the TLS session. */
  private final class PeerRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
        callers.add(pki.validator().validate(peer, CertificatePurpose.TLS_CLIENT, pki.now()));
        protocols.add(session.getProtocol());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return next.startCall(call, headers);
    }
  }

  /** Records the reasons of the rejections of the trust manager it wraps. */
  private static final class Recorder implements X509TrustManager {
    final List<CertificateRejectedException.Reason> rejections = new CopyOnWriteArrayList<>();
    private final X509TrustManager delegate;

    Recorder(X509TrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        delegate.checkClientTrusted(chain, authType);
      } catch (CertificateRejectedException e) {
        rejections.add(e.reason());
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateRejectedException e) {
        rejections.add(e.reason());
        throw e;
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
