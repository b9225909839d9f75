package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.FederationTrustManager;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.transport.MutualTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §6.1 against a real node over loopback: TLS 1.3 only, a client certificate required, trust
 * in the federation authority alone, the right certificate purpose, membership. A handshake failure
 * has no gRPC status: the client sees UNAVAILABLE, the node's TLS stack records the reason ({@link
 * ServerHandshakeLog}), and the node stores nothing. Each case tries to push a batch that a member
 * could push.
 */
class TransportIdentityTest {
  @TempDir static Path dir;

  private static TestFederation f;
  private static ServerHandshakeLog serverLog;
  private static OperatorIdentity fr;
  private static DiagnosisKeyBatch valid;

  @BeforeAll
  static void start() throws Exception {
    f = TestFederation.create(dir.resolve("federation"), Clock.systemUTC(), "DE", "FR");
    f.startNode("DE");
    fr = f.credentials("FR").identity();
    TestBatches batches = new TestBatches(3, Instant.now());
    valid =
        Signatures.sign(batches.batch("FR", 1, batches.keys(3, 3)), f.credentials("FR").signing());
    serverLog = new ServerHandshakeLog();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    serverLog.close();
    f.close();
  }

  @BeforeEach
  void forget() {
    serverLog.clear();
  }

  private static FederationGrpc.FederationBlockingStub stub(ManagedChannel channel) {
    return FederationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** The push fails before any response, the node records {@code reason} and holds nothing. */
  private static void assertHandshakeRefused(ManagedChannel channel, String reason)
      throws Exception {
    var e =
        refused(
            Status.Code.UNAVAILABLE,
            () ->
                stub(channel)
                    .publishBatch(PublishBatchRequest.newBuilder().setBatch(valid).build()));
    assertEquals("ssl exception", e.getStatus().getDescription());
    serverLog.await(reason);
    assertEquals(
        0, (long) f.node("DE").store().read(tx -> tx.batches().recordCount()), "nothing stored");
  }

  @Test
  void aMemberIsServed() throws Exception {
    var info = stub(f.channel("DE", f.credentials("FR").tls())).getNodeInfo(req());
    assertEquals("DE", info.getNode().getCountry());
    assertEquals(List.of(), serverLog.rejections());
  }

  @Test
  void r6_2_aClientWithoutCertificateFailsTheHandshake() throws Exception {
    SslContext noCertificate =
        GrpcSslContexts.configure(SslContextBuilder.forClient(), MutualTls.provider())
            .trustManager(new FederationTrustManager(f.pki().validator(), Clock.systemUTC()))
            .protocols("TLSv1.3")
            .build();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", f.node("DE").port())
            .sslContext(noCertificate)
            .build();
    try {
      assertHandshakeRefused(channel, "PEER_DID_NOT_RETURN_A_CERTIFICATE");
      assertEquals(List.of(), serverLog.rejections());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void r6_3_aCertificateOfAForeignAuthorityFailsTheHandshake() throws Exception {
    assertHandshakeRefused(f.channel("DE", f.pki().foreignCaTls(fr)), "rejected UNTRUSTED_ISSUER");
  }

  @Test
  void r6_3_anExpiredCertificateFailsTheHandshake() throws Exception {
    assertHandshakeRefused(f.channel("DE", f.pki().expiredTls(fr)), "rejected EXPIRED");
  }

  @Test
  void r6_7_aSigningCertificateUsedForTlsFailsTheHandshake() throws Exception {
    // An Ed25519 certificate fits none of the signature algorithms the node's TLS stack asks a
    // client for, so the client's TLS stack does not send it and the node sees no certificate;
    // the refusal by purpose (WRONG_PURPOSE) itself is shown with the JDK engine in MutualTlsTest.
    assertHandshakeRefused(
        f.channel("DE", f.credentials("FR").signing()), "PEER_DID_NOT_RETURN_A_CERTIFICATE");
  }

  @Test
  void r6_7_aTlsCertificateWithoutClientAuthFailsTheHandshake() throws Exception {
    assertHandshakeRefused(
        f.channel("DE", f.pki().tlsWithoutClientAuth(fr)), "rejected WRONG_PURPOSE");
  }

  @Test
  void r6_6_aCertificateWithoutOperatorIdentityFailsTheHandshake() throws Exception {
    assertHandshakeRefused(f.channel("DE", f.pki().tlsWithoutIdentity(fr)), "rejected NO_IDENTITY");
  }

  @Test
  void r6_8_aValidCertificateOfANonMemberIsRefusedOnEveryService() throws Exception {
    ManagedChannel channel = f.channel("DE", f.pki().nonMember("IT", "op-it").tls());
    String message = "R6.8: IT/op-it is not a member of the federation agreement";

    refused(Status.Code.PERMISSION_DENIED, message, () -> stub(channel).getNodeInfo(req()));
    refused(
        Status.Code.PERMISSION_DENIED,
        message,
        () -> stub(channel).publishBatch(PublishBatchRequest.newBuilder().setBatch(valid).build()));
    refused(
        Status.Code.PERMISSION_DENIED,
        message,
        () ->
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()));
    assertEquals(
        0, (long) f.node("DE").store().read(tx -> tx.batches().recordCount()), "nothing stored");
    assertEquals(List.of(), serverLog.rejections(), "the handshake itself succeeded");
  }

  @Test
  void r6_1_aTls12HandshakeIsRefusedAndTls13Accepted() throws Exception {
    Credential member = f.credentials("FR").tls();
    try (SSLSocket s = socket(member, "TLSv1.2")) {
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s::startHandshake);
      assertTrue(e.getMessage().contains("protocol_version"), e.getMessage());
    }
    try (SSLSocket s = socket(member, "TLSv1.3")) {
      s.startHandshake();
      assertEquals("TLSv1.3", s.getSession().getProtocol());
    }
  }

  @Test
  void r6_1_opensslSClientWithTls12IsRefused() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed at /usr/bin");
    Path files = Files.createDirectories(dir.resolve("openssl"));
    Credential member = f.credentials("FR").tls();
    if (!Files.exists(files.resolve("ca.crt"))) {
      Pem.writeCertificates(files.resolve("ca.crt"), f.pki().caCertificate());
      Pem.writeCertificates(files.resolve("tls.crt"), member.certificate());
      Pem.writePrivateKey(files.resolve("tls.key"), member.privateKey());
    }

    String tls12 = sClient(files, "-tls1_2", 1);
    assertTrue(tls12.contains("alert protocol version"), tls12);

    String tls13 = sClient(files, "-tls1_3", 0);
    assertTrue(tls13.contains("New, TLSv1.3"), tls13);
    assertTrue(tls13.contains("Verify return code: 0 (ok)"), tls13);
  }

  /** Runs openssl s_client against the node with {@code version}, expecting {@code exitCode}. */
  private static String sClient(Path files, String version, int exitCode)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "/usr/bin/openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + f.node("DE").port(),
                "-servername",
                "localhost",
                version,
                "-CAfile",
                files.resolve("ca.crt").toString(),
                "-cert",
                files.resolve("tls.crt").toString(),
                "-key",
                files.resolve("tls.key").toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client ended");
    assertEquals(exitCode, p.exitValue(), out);
    return out;
  }

  /** A plain JDK TLS socket to the node presenting {@code client}, limited to {@code protocol}. */
  private static SSLSocket socket(Credential client, String protocol) throws Exception {
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "client", client.privateKey(), password, new Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        kmf.getKeyManagers(),
        new TrustManager[] {new FederationTrustManager(f.pki().validator(), Clock.systemUTC())},
        null);
    SSLSocket s =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", f.node("DE").port());
    s.setEnabledProtocols(new String[] {protocol});
    s.setSoTimeout(10_000);
    return s;
  }

  private static GetNodeInfoRequest req() {
    return GetNodeInfoRequest.getDefaultInstance();
  }
}
