package org.fedtrace.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeOptions;
import org.fedtrace.node.NodeSeam;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.FederationTrustManager;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TestPki;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.upload.Authorizations;

/**
 * Real federation nodes for integration tests: a test PKI, one health authority and one node per
 * country, each serving mutual TLS on a loopback port, with their data under a temporary folder.
 */
public final class TestFederation implements AutoCloseable {
  private final TestPki pki;
  private final Path root;
  private final Clock clock;
  private final Map<String, OperatorCredentials> credentials = new LinkedHashMap<>();
  private final Map<String, SigningKey> healthAuthorities = new LinkedHashMap<>();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Node> replicas = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final ChangeSignal commits = new ChangeSignal();
  private String extraYaml = "";
  private final Map<String, String> countryYaml = new java.util.HashMap<>();
  private final Map<String, String> databases = new LinkedHashMap<>();
  private final Map<String, Clock> clocks = new LinkedHashMap<>();
  private boolean postgres;
  private java.util.Set<Fault> faults = java.util.Set.of();
  private boolean backgroundWork = true;
  // tests mostly follow one upload into one batch; the mixing policy has tests of its own
  private int minUploads = 1;
  private int decoyUploads = 1;

  private TestFederation(TestPki pki, Path root, Clock clock) {
    this.pki = pki;
    this.root = root;
    this.clock = clock;
  }

  /**
   * Members for {@code countries} (operator ids "op-cc"), each with a health authority listed in
   * the agreement. An entry "CC-id" is a member of CC with operator id "id", for several members of
   * one country (spec §26.2): its origin is then "CC-id", the name the test uses for it. Nothing
   * runs until {@link #startNode}.
   */
  public static TestFederation create(Path root, Clock clock, String... countries) {
    TestPki pki = TestPki.create(clock.instant(), 14);
    TestFederation f = new TestFederation(pki, root, clock);
    List<HealthAuthority> has = new ArrayList<>();
    for (String c : countries) {
      String country = c.substring(0, 2);
      String id = c.length() == 2 ? "op-" + c.toLowerCase(java.util.Locale.ROOT) : c.substring(3);
      f.credentials.put(c, pki.member(country, id));
      SigningKey ha = SigningKey.generate(f.random);
      f.healthAuthorities.put(c, ha);
      has.add(new HealthAuthority(country, "Health authority " + c, ha.verifyingKey()));
    }
    AgreementTerms t = pki.terms();
    pki.setTerms(
        new AgreementTerms(
            t.federation(), t.version(), t.retentionDays(), t.sunsetDate(), t.members(), has));
    return f;
  }

  /** The agreement's bilateral terms become {@code sharing} (before any node starts). */
  public TestFederation withSharing(org.fedtrace.pki.SharingTerms sharing) {
    pki.setTerms(pki.terms().withSharing(sharing));
    return this;
  }

  /** Extra YAML appended to every node's configuration (e.g. batching settings). */
  public TestFederation withConfig(String yaml) {
    this.extraYaml = yaml;
    return this;
  }

  /** {@code country}'s node runs on {@code nodeClock} instead of the federation's clock. */
  public TestFederation withClock(String country, Clock nodeClock) {
    clocks.put(country, nodeClock);
    return this;
  }

  /** Nodes configured from now on keep their stores on PostgreSQL ({@link TestPostgres}). */
  public TestFederation withPostgres() {
    this.postgres = true;
    return this;
  }

  /** The JDBC URL of {@code country}'s PostgreSQL database (made on first use). */
  public String database(String country) {
    return databases.computeIfAbsent(country, c -> TestPostgres.newDatabase());
  }

  /**
   * The nodes' {@code batching.minUploads} (1 unless set): a batch published by age mixes at least
   * this many uploads.
   */
  public TestFederation withMinUploads(int uploads) {
    this.minUploads = uploads;
    return this;
  }

  /**
   * The nodes' {@code batching.decoyUploads} (1, no decoys, unless set): a batch whose keys come
   * from fewer uploads is topped up with decoy uploads (spec R23.1).
   */
  public TestFederation withDecoyUploads(int uploads) {
    this.decoyUploads = uploads;
    return this;
  }

  /** Deliberate defects for nodes started from now on (conformance fault-switch tests). */
  public TestFederation withFaults(java.util.Set<Fault> faults) {
    this.faults = java.util.Set.copyOf(faults);
    return this;
  }

  /**
   * Nodes started from now on batch and purge only when the test calls {@link Node#publishDue} and
   * {@link Node#housekeeping}, as in the simulator.
   */
  public TestFederation withoutBackgroundWork() {
    this.backgroundWork = false;
    return this;
  }

  /** The test PKI (for deliberately bad certificates). */
  public TestPki pki() {
    return pki;
  }

  /** The credentials of the member of {@code country}. */
  public OperatorCredentials credentials(String country) {
    return credentials.get(country);
  }

  /** The folder of {@code country}'s node (credentials, config, data). */
  public Path dir(String country) {
    return root.resolve(country);
  }

  /** Appends {@code yaml} to {@code country}'s configuration from its next start on. */
  public TestFederation withCountryConfig(String country, String yaml) {
    countryYaml.put(country, yaml);
    return this;
  }

  /** Writes {@code country}'s operator folder and configuration, if not done yet. */
  public Path configure(String country) throws IOException {
    Path dir = dir(country);
    Path config = dir.resolve("node.yaml");
    if (!Files.exists(dir)) {
      pki.writeOperatorDirectory(dir, credentials.get(country));
    }
    Files.writeString(
        config,
        "listen: 127.0.0.1:7443\ndataDir: data\nmetrics:\n  port: 0\n"
            + "batching:\n  maxAgeSeconds: 1\n  minKeys: 64\n  minUploads: "
            + minUploads
            + "\n  decoyUploads: "
            + decoyUploads
            + "\n"
            + (postgres
                ? "store:\n  kind: postgresql\n  url: "
                    + database(country)
                    + "\n  user: postgres\n  poolSize: 4\n"
                : "")
            + extraYaml
            + countryYaml.getOrDefault(country, ""));
    return config;
  }

  /** Starts (or restarts) {@code country}'s node on a free loopback port. */
  public Node startNode(String country) throws IOException, NodeStartException {
    Node node = launch(country, 0);
    nodes.put(country, node);
    return node;
  }

  /** {@link #startReplica(String, int)} on a free port. */
  public Node startReplica(String country) throws IOException, NodeStartException {
    return startReplica(country, 0);
  }

  /**
   * Starts one more node of {@code country}'s member on loopback {@code port} (0 for a free one): a
   * replica with the same identity, configuration and data folder (and, with {@link #withPostgres},
   * database). {@link #node} still names the first; {@link #close} stops the replica unless the
   * test did.
   */
  public Node startReplica(String country, int port) throws IOException, NodeStartException {
    Node node = launch(country, port);
    replicas.add(node);
    return node;
  }

  private Node launch(String country, int port) throws IOException, NodeStartException {
    NodeConfig config;
    try {
      config = NodeConfig.load(configure(country));
    } catch (InvalidConfigException e) {
      throw new IllegalStateException(e);
    }
    OperatorCredentials own = credentials.get(country);
    NodeSeam seam =
        faults.isEmpty()
            ? NodeSeam.NONE
            : new FaultSeam(faults, own.identity(), pki.validator(), Clock.systemUTC());
    Node node =
        Node.create(
            config,
            clocks.getOrDefault(country, clock),
            new NodeOptions(new SecureRandom(), seam, backgroundWork));
    node.store().addCommitListener(commits::changed);
    node.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .sslContext(serverTls(node, own)));
    return node;
  }

  /**
   * The node's TLS context, or with {@link Fault#ACCEPT_NO_CLIENT_CERTIFICATE} one that lets
   * clients without a certificate complete the handshake (breaks R6.2).
   */
  private SslContext serverTls(Node node, OperatorCredentials own) throws IOException {
    if (!faults.contains(Fault.ACCEPT_NO_CLIENT_CERTIFICATE)) {
      return node.serverTls();
    }
    return GrpcSslContexts.configure(
            SslContextBuilder.forServer(own.tls().privateKey(), own.tls().certificate()),
            MutualTls.provider())
        .trustManager(new FederationTrustManager(pki.validator(), Clock.systemUTC()))
        .clientAuth(ClientAuth.OPTIONAL)
        .protocols("TLSv1.3")
        .build();
  }

  /** The running node of {@code country}. */
  public Node node(String country) {
    return nodes.get(country);
  }

  /** Makes {@code follower} subscribe to {@code followed}. */
  public void follow(String follower, String followed) throws IOException {
    OperatorIdentity id = credentials.get(followed).identity();
    nodes
        .get(follower)
        .follow(NodeConfig.Peer.subscribe(id, "127.0.0.1", nodes.get(followed).port()));
  }

  /** Makes {@code from} push its batches to {@code to}. */
  public void push(String from, String to) throws IOException {
    OperatorIdentity id = credentials.get(to).identity();
    nodes.get(from).follow(NodeConfig.Peer.push(id, "127.0.0.1", nodes.get(to).port()));
  }

  /** Stops {@code country}'s node. */
  public void stopNode(String country) throws InterruptedException {
    Node n = nodes.remove(country);
    if (n != null) {
      n.stop(Duration.ofSeconds(5));
    }
  }

  /** A channel to {@code country}'s node presenting {@code client} as the TLS credential. */
  public ManagedChannel channel(String country, Credential client) throws IOException {
    return channel(nodes.get(country), client);
  }

  /** A channel to {@code node} (a node or replica of this federation) presenting {@code client}. */
  public ManagedChannel channel(Node node, Credential client) throws IOException {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", node.port())
            .sslContext(
                MutualTls.client(client, pki.validator(), Clock.systemUTC(), node.identity()))
            .build();
    channels.add(ch);
    return ch;
  }

  /** A Federation stub to {@code country}'s node, calling as the member of {@code caller}. */
  public FederationGrpc.FederationBlockingStub federation(String country, String caller)
      throws IOException {
    return FederationGrpc.newBlockingStub(channel(country, credentials.get(caller).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /**
   * An upload request for {@code keys} authorized by {@code country}'s health authority, whose
   * uploader consents to federation (spec §25; without it the keys stay domestic).
   */
  public UploadDiagnosisKeysRequest authorizedUpload(String country, List<DiagnosisKey> keys) {
    return UploadDiagnosisKeysRequest.newBuilder()
        .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
        .addAllKeys(keys)
        .setAuthorization(
            Authorizations.issue(
                healthAuthorities.get(country),
                country.substring(0, 2),
                keys,
                clock.instant(),
                Duration.ofMinutes(30),
                random))
        .build();
  }

  /** Uploads {@code keys} at {@code country}'s node as its own backend, authorized. */
  public UploadDiagnosisKeysResponse upload(String country, List<DiagnosisKey> keys)
      throws IOException {
    return upload(nodes.get(country), keys);
  }

  /** Uploads {@code keys} at {@code node} (a node or a replica) as its member's own backend. */
  public UploadDiagnosisKeysResponse upload(Node node, List<DiagnosisKey> keys) throws IOException {
    return upload(node, authorizedUpload(memberOf(node), keys));
  }

  /** Sends {@code request} to {@code node} as its member's own backend. */
  public UploadDiagnosisKeysResponse upload(Node node, UploadDiagnosisKeysRequest request)
      throws IOException {
    return UploadGrpc.newBlockingStub(channel(node, credentials.get(memberOf(node)).tls()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .uploadDiagnosisKeys(request);
  }

  /** The name under which this federation holds the credentials of {@code node}'s member. */
  private String memberOf(Node node) {
    return credentials.entrySet().stream()
        .filter(e -> e.getValue().identity().equals(node.identity()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  /** The health authority key of {@code country}. */
  public SigningKey healthAuthority(String country) {
    return healthAuthorities.get(country);
  }

  /**
   * Waits until {@code condition} holds, checking it again whenever a node of this federation
   * commits to its store (at most {@code timeout}).
   */
  public void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    commits.await(timeout, condition, what);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (String c : new ArrayList<>(nodes.keySet())) {
      stopNode(c);
    }
    for (Node replica : replicas) {
      replica.stop(Duration.ofSeconds(5)); // does nothing if the test stopped it
    }
  }
}
