package org.fedtrace.conformance.wire;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;

/**
 * The suite's connections to the node under test: gRPC channels over TLS 1.3 (the JDK's TLS, not
 * the node's), presenting one kit credential each, and raw TLS sockets for handshake cases. Every
 * channel accepts responses of up to 4,194,304 bytes and no more (R6.14, R6.15).
 */
public final class Connections implements AutoCloseable {
  /** The largest response a client must accept and a node may send (R6.14, R6.15). */
  public static final int MAX_RESPONSE_BYTES = 4_194_304;

  private final String host;
  private final int port;
  private final Kit kit;
  private final ServerTrust trust;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final List<ManagedChannel> others = new ArrayList<>();

  /** Connections to {@code host:port}, trusting the kit's authority. */
  public Connections(String host, int port, Kit kit) {
    this.host = host;
    this.port = port;
    this.kit = kit;
    this.trust = new ServerTrust(kit.ca(), kit.node());
  }

  /** The node's identity as its TLS certificate showed it, once a connection was made. */
  public Optional<Identity> serverIdentity() {
    return trust.seen();
  }

  /** A channel presenting {@code client} (shared, kept for the run). */
  public ManagedChannel as(Credential client) {
    return channels.computeIfAbsent(client.name(), n -> open(context(client, "TLSv1.3")));
  }

  /**
   * A new channel with its own TLS settings: {@code client} may be null (no certificate), and
   * {@code protocol} may be below TLS 1.3. Closed with these connections.
   */
  public synchronized ManagedChannel fresh(Credential client, String protocol) {
    ManagedChannel ch = open(context(client, protocol));
    others.add(ch);
    return ch;
  }

  /**
   * Opens a plain TLS socket to the node offering only {@code protocol} and presenting {@code
   * client}, and runs the handshake.
   *
   * @throws IOException when the handshake fails
   */
  public void handshake(Credential client, String protocol) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers(client), new TrustManager[] {trust}, null);
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
        s.connect(new InetSocketAddress(host, port), 10_000);
        s.setSoTimeout(10_000);
        s.setEnabledProtocols(new String[] {protocol});
        s.startHandshake();
        // TLS 1.3 servers judge the client's certificate after the client's Finished message:
        // reading makes a refusal arrive as an alert.
        s.getOutputStream()
            .write(
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.getInputStream().read();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a TLS context", e);
    }
  }

  private ManagedChannel open(SslContext context) {
    return NettyChannelBuilder.forAddress(host, port)
        .sslContext(context)
        .maxInboundMessageSize(MAX_RESPONSE_BYTES)
        .build();
  }

  private SslContext context(Credential client, String protocol) {
    try {
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .trustManager(trust)
              .protocols(protocol);
      if (client != null) {
        b.keyManager(client.privateKey(), client.certificate());
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS context for " + client, e);
    }
  }

  private static javax.net.ssl.KeyManager[] keyManagers(Credential client)
      throws GeneralSecurityException {
    if (client == null) {
      return null;
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    char[] password = "conformance".toCharArray();
    ks.setKeyEntry(
        "client", client.privateKey(), password, new Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }

  /** The kit these connections use. */
  public Kit kit() {
    return kit;
  }

  @Override
  public synchronized void close() {
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    all.addAll(others);
    for (ManagedChannel ch : all) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : all) {
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
