package org.fedtrace.chaos;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.NodeConfigWriter;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.upload.Authorizations;

/**
 * The federation under test: a federation authority and agreement made for the run, one node
 * process per member (fully meshed, each subscribing to every other through a {@link LinkProxy}),
 * each with its health authority, and one more member without a node whose credentials the
 * subscribers pull with. With {@code tmpfs}, each node's data folder is a small tmpfs of its own,
 * so that its disk can be filled without touching the machine's.
 */
final class Cluster implements AutoCloseable {
  /** The members' countries, in the order nodes are added. */
  static final List<String> COUNTRIES = List.of("DE", "FR", "IT", "ES", "NL", "BE", "AT", "PL");

  /** The size of each node's tmpfs. */
  static final String TMPFS_SIZE = "64m";

  private static final String FEDERATION = "chaos";
  private static final String SUBSCRIBER = "LU";

  private final Path root;
  private final SecureRandom secure = new SecureRandom();
  private final FederationAuthority authority;
  private final Map<String, OperatorCredentials> credentials = new LinkedHashMap<>();
  private final Map<String, SigningKey> healthAuthorities = new LinkedHashMap<>();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, LinkProxy> links = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> uploadChannels = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> pullChannels = new LinkedHashMap<>();
  private final List<Path> mounts = new ArrayList<>();
  private final Thread hook = new Thread(this::closeQuietly, "chaos-cleanup");
  private boolean closed;

  /**
   * Issues the PKI and writes every node's folder under {@code root}; starts nothing.
   *
   * @param tmpfs mount a tmpfs on each node's data folder (needs root)
   */
  Cluster(Path root, int n, Path jar, boolean tmpfs) throws IOException, InterruptedException {
    this.root = root;
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(2));
    Instant until = now.plus(Duration.ofDays(60));
    authority = FederationAuthority.generate(FEDERATION, from, until, secure);
    List<String> countries = COUNTRIES.subList(0, n);
    List<OperatorIdentity> ids = new ArrayList<>();
    List<HealthAuthority> has = new ArrayList<>();
    for (String c : countries) {
      OperatorIdentity id = new OperatorIdentity(c, "chaos-" + c.toLowerCase(Locale.ROOT));
      credentials.put(c, authority.issue(id, List.of(), from, until.minus(Duration.ofDays(1))));
      SigningKey ha = SigningKey.generate(secure);
      healthAuthorities.put(c, ha);
      ids.add(id);
      has.add(new HealthAuthority(c, "Chaos health authority " + c, ha.verifyingKey()));
    }
    OperatorIdentity sub = new OperatorIdentity(SUBSCRIBER, "chaos-subscriber");
    credentials.put(SUBSCRIBER, authority.issue(sub, List.of(), from, until.minusSeconds(86400)));
    ids.add(sub);
    LocalDate sunset = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(30);
    Agreement agreement = authority.sign(new AgreementTerms(FEDERATION, 1, 14, sunset, ids, has));
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String c : countries) {
      ports.put(c, freePort());
    }
    for (String a : countries) {
      for (String b : countries) {
        if (!a.equals(b)) {
          links.put(a + ">" + b, new LinkProxy(ports.get(b), a + ">" + b));
        }
      }
    }
    for (String c : countries) {
      Path folder = root.resolve(c);
      Files.createDirectories(folder.resolve("data"));
      credentials.get(c).writeTo(folder);
      Pem.writeCertificates(folder.resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
      agreement.writeTo(folder);
      Path config = folder.resolve("node.yaml");
      NodeConfigWriter.write(config(c, folder, ports.get(c), countries), config);
      if (tmpfs) {
        mount(folder.resolve("data"));
      }
      nodes.put(c, new NodeProcess(c, folder, config, jar, ports.get(c)));
    }
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: stop the nodes, unmount
    for (String c : countries) {
      uploadChannels.put(c, channel(credentials.get(c), c));
      pullChannels.put(c, channel(credentials.get(SUBSCRIBER), c));
    }
  }

  /**
   * A node that publishes each upload within about a second (one upload a batch, padded to 64
   * keys), subscribes to every peer through its proxy, retries quickly, sends heartbeats every
   * second, and serves what it received too (forwarding): every node then serves every batch, so
   * that the harness sees from the outside whether each is stored exactly once everywhere, and the
   * duplicates a full mesh forwards are recognized and dropped.
   */
  private NodeConfig config(String c, Path folder, int port, List<String> countries) {
    NodeConfig defaults = NodeConfig.defaults(folder);
    List<NodeConfig.Peer> peers = new ArrayList<>();
    for (String p : countries) {
      if (!p.equals(c)) {
        peers.add(
            NodeConfig.Peer.subscribe(
                credentials.get(p).identity(), "127.0.0.1", links.get(c + ">" + p).port()));
      }
    }
    try {
      return defaults.toBuilder()
          .listen(new NodeConfig.Listen("127.0.0.1", port))
          .federation(
              new NodeConfig.Federation(
                  defaults.federation().caCertificate(), defaults.federation().agreement(), true))
          .batching(new NodeConfig.Batching(1000, 1, 1, 1, 64, 1))
          .sync(new NodeConfig.Sync(300, 5_000, 1, 100, 1_000, 10))
          .metrics(new NodeConfig.Metrics("127.0.0.1", 0))
          .peers(peers)
          .build();
    } catch (InvalidConfigException e) {
      throw new IllegalStateException("the chaos configuration is invalid: " + e.getMessage(), e);
    }
  }

  private void mount(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("cannot mount a tmpfs on " + dir + ": " + out.trim());
    }
    mounts.add(dir);
  }

  private ManagedChannel channel(OperatorCredentials as, String to) throws IOException {
    return NettyChannelBuilder.forAddress("127.0.0.1", nodes.get(to).port())
        .sslContext(
            MutualTls.client(
                as.tls(), authority.validator(), Clock.systemUTC(), credentials.get(to).identity()))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void closeQuietly() {
    close();
  }

  /** The run's folder. */
  Path root() {
    return root;
  }

  List<NodeProcess> nodes() {
    return List.copyOf(nodes.values());
  }

  NodeProcess node(String country) {
    return nodes.get(country);
  }

  OperatorIdentity identity(String country) {
    return credentials.get(country).identity();
  }

  CertificateValidator validator() {
    return authority.validator();
  }

  /** A channel to {@code country}'s node as the subscribers' member. */
  ManagedChannel pulls(String country) {
    return pullChannels.get(country);
  }

  /** The proxies of every link from or to {@code country}'s node. */
  List<LinkProxy> linksOf(String country) {
    List<LinkProxy> out = new ArrayList<>();
    links.forEach(
        (name, link) -> {
          if (name.startsWith(country + ">") || name.endsWith(">" + country)) {
            out.add(link);
          }
        });
    return out;
  }

  /**
   * Uploads {@code keys} to {@code country}'s node as its operator's backend, with an authorization
   * of its health authority.
   *
   * @throws io.grpc.StatusRuntimeException if the node refuses or cannot be reached
   */
  void upload(String country, List<DiagnosisKey> keys) {
    UploadDiagnosisKeysRequest request =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(keys)
            .setAuthorization(
                Authorizations.issue(
                    healthAuthorities.get(country),
                    country,
                    keys,
                    Instant.now(),
                    Duration.ofMinutes(30),
                    secure))
            .build();
    UploadGrpc.newBlockingStub(uploadChannels.get(country))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .uploadDiagnosisKeys(request);
  }

  /** {@code n} valid keys of past days (1 to 5 days ago), random data from {@code random}. */
  static List<DiagnosisKey> keys(Random random, int n) {
    long today = Instant.now().getEpochSecond() / 600 / 144 * 144;
    List<DiagnosisKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[16];
      random.nextBytes(data);
      int daysAgo = 1 + random.nextInt(5);
      out.add(
          DiagnosisKey.newBuilder()
              .setKeyData(ByteString.copyFrom(data))
              .setRollingStartIntervalNumber((int) (today - 144L * daysAgo))
              .setRollingPeriod(144)
              .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
              .setDaysSinceOnsetOfSymptoms(daysAgo - 2)
              .setTransmissionRiskLevel(random.nextInt(9))
              .build());
    }
    return out;
  }

  /** Stops every node, closes the clients and proxies, and unmounts the tmpfs folders. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs this
    }
    for (NodeProcess n : nodes.values()) {
      try {
        n.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    uploadChannels.values().forEach(ManagedChannel::shutdownNow);
    pullChannels.values().forEach(ManagedChannel::shutdownNow);
    for (LinkProxy l : links.values()) {
      try {
        l.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Path m : mounts) {
      try {
        new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        System.err.println("chaos: cannot unmount " + m + ": " + e.getMessage());
      }
    }
  }
}
