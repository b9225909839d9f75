package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeOptions;
import org.fedtrace.node.NodeSeam;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.transport.MutualTls;

/**
 * A federation of real nodes on loopback for the benchmark: a fresh authority, members DE (the
 * origin, whose signed batches are pushed), FR (the receiving node) and IT (the pulling client and
 * the following node), each node with its own data folder and its own named thread pools, so that
 * the CPU each one uses can be told apart.
 */
final class BenchFederation implements AutoCloseable {
  private static final String FEDERATION = "bench";

  private final Path root;
  private final FederationAuthority authority;
  private final Agreement agreement;
  private final Map<String, OperatorCredentials> members = new LinkedHashMap<>();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Node> replicas = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  private final List<EventLoopGroup> loops = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  BenchFederation(Path root, String... countries) {
    this.root = root;
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    authority =
        FederationAuthority.generate(
            FEDERATION, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(800)), random);
    AgreementTerms terms =
        AgreementTerms.initial(
            FEDERATION, 14, LocalDate.ofInstant(now, ZoneOffset.UTC).plusYears(1));
    for (String c : countries) {
      OperatorIdentity id = new OperatorIdentity(c, "op-" + c.toLowerCase(Locale.ROOT));
      members.put(
          c,
          authority.issue(
              id, List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(500))));
      terms = terms.withMember(id);
    }
    agreement = authority.sign(terms);
  }

  /** The federation authority's validator. */
  CertificateValidator validator() {
    return authority.validator();
  }

  /** The batch signer of {@code country}'s operator. */
  BatchSigner signer(String country) throws Exception {
    OperatorCredentials c = members.get(country);
    return new BatchSigner(
        SigningKey.fromPrivateKey(c.signing().privateKey()),
        c.signing().certificate().getEncoded());
  }

  /** Starts {@code country}'s node with {@code ioThreads} event-loop threads. */
  Node startNode(String country, int ioThreads)
      throws IOException, NodeStartException, InvalidConfigException {
    return startNode(country, ioThreads, "", true);
  }

  /**
   * Starts {@code country}'s node with {@code ioThreads} event-loop threads, the settings {@code
   * yaml} (top-level blocks) added to the benchmark's own, and with or without the node's
   * background work ({@link NodeOptions#backgroundWork()}). A node stopped by {@link #stopNode}
   * starts again on the data it left.
   */
  Node startNode(String country, int ioThreads, String yaml, boolean backgroundWork)
      throws IOException, NodeStartException, InvalidConfigException {
    Path dir = root.resolve(country);
    Path config = dir.resolve("node.yaml");
    if (!Files.exists(config)) {
      Files.createDirectories(dir);
      members.get(country).writeTo(dir);
      Pem.writeCertificates(dir.resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
      agreement.writeTo(dir);
    }
    Files.writeString(
        config,
        String.join(
            "\n",
            "listen: 127.0.0.1:7443",
            "dataDir: data",
            "metrics:",
            "  port: 0",
            "limits:",
            "  requestsPerSecondPerPeer: 100000",
            "  keysPerSecondPerPeer: 1000000000",
            yaml));
    Node node = launch(country, ioThreads, 0, backgroundWork);
    nodes.put(country, node);
    return node;
  }

  /**
   * Starts one more node of {@code country}'s member, from the configuration and data folder its
   * {@link #startNode} wrote (one SQLite store, as two processes on one host would share it), on
   * loopback {@code port} (0 for any): a replica behind the same identity. {@link #close} stops it
   * unless the caller did.
   */
  Node startReplica(String country, int ioThreads, int port, boolean backgroundWork)
      throws IOException, NodeStartException, InvalidConfigException {
    Node node = launch(country, ioThreads, port, backgroundWork);
    replicas.add(node);
    return node;
  }

  private Node launch(String country, int ioThreads, int port, boolean backgroundWork)
      throws IOException, NodeStartException, InvalidConfigException {
    Node node =
        Node.create(
            NodeConfig.load(root.resolve(country).resolve("node.yaml")),
            Clock.systemUTC(),
            new NodeOptions(new SecureRandom(), NodeSeam.NONE, backgroundWork));
    node.start(serverBuilder("node-" + country, ioThreads, port).sslContext(node.serverTls()));
    return node;
  }

  /** The identity of {@code country}'s member. */
  OperatorIdentity identity(String country) {
    return members.get(country).identity();
  }

  /** Stops {@code country}'s node (its files stay). */
  void stopNode(String country) throws InterruptedException {
    Node node = nodes.remove(country);
    if (node != null) {
      node.stop(Duration.ofSeconds(30));
    }
  }

  private NettyServerBuilder serverBuilder(String name, int ioThreads, int port) {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .bossEventLoopGroup(loop(1, name + "-accept"))
        .workerEventLoopGroup(loop(ioThreads, name + "-io"))
        .channelType(NioServerSocketChannel.class)
        .executor(executor(name + "-call"));
  }

  /**
   * Starts a server that presents {@code country}'s TLS certificate, requires a federation client
   * certificate like a node, and answers every PublishBatch with OK after gRPC parsed the request,
   * checking and storing nothing: the transport's limit. Returns its port.
   */
  int startSink(String country, int ioThreads) throws IOException {
    Server server =
        serverBuilder("sink-" + country, ioThreads, 0)
            .sslContext(
                MutualTls.server(
                    members.get(country).tls(), authority.validator(), Clock.systemUTC()))
            .maxInboundMessageSize(8 << 20)
            .addService(
                new FederationGrpc.FederationImplBase() {
                  @Override
                  public void publishBatch(
                      PublishBatchRequest request, StreamObserver<PublishBatchResponse> observer) {
                    observer.onNext(PublishBatchResponse.getDefaultInstance());
                    observer.onCompleted();
                  }
                })
            .build()
            .start();
    servers.add(server);
    return server.getPort();
  }

  /** A channel to the sink on {@code port}, presenting {@code client}'s TLS credential. */
  ManagedChannel sinkChannel(int port, String server, String client, EventLoopGroup clientLoop)
      throws IOException {
    return channel(port, server, client, clientLoop);
  }

  /**
   * A channel (one TCP connection) to {@code server}'s node, presenting {@code client}'s TLS
   * credential, on the clients' own threads.
   */
  ManagedChannel channel(String server, String client, EventLoopGroup clientLoop)
      throws IOException {
    return channel(nodes.get(server).port(), server, client, clientLoop);
  }

  private ManagedChannel channel(int port, String server, String client, EventLoopGroup clientLoop)
      throws IOException {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .sslContext(
                MutualTls.client(
                    members.get(client).tls(),
                    authority.validator(),
                    Clock.systemUTC(),
                    members.get(server).identity()))
            .eventLoopGroup(clientLoop)
            .channelType(NioSocketChannel.class)
            .executor(executor("client-call"))
            .maxInboundMessageSize(8 << 20)
            .build();
    channels.add(ch);
    return ch;
  }

  /** An event loop group for client channels. */
  EventLoopGroup clientLoop(int threads) {
    return loop(threads, "client-io");
  }

  /** Makes {@code follower}'s node subscribe to {@code followed}'s node. */
  void follow(String follower, String followed) throws IOException {
    OperatorIdentity id = members.get(followed).identity();
    nodes
        .get(follower)
        .follow(NodeConfig.Peer.subscribe(id, "127.0.0.1", nodes.get(followed).port()));
  }

  private EventLoopGroup loop(int threads, String name) {
    EventLoopGroup g =
        new MultiThreadIoEventLoopGroup(threads, named(name), NioIoHandler.newFactory());
    loops.add(g);
    return g;
  }

  /** A cached pool whose idle threads live on, so that no thread's CPU time is lost. */
  private ExecutorService executor(String name) {
    ExecutorService e =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 1, TimeUnit.HOURS, new SynchronousQueue<>(), named(name));
    executors.add(e);
    return e;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (Server s : servers) {
      s.shutdownNow();
    }
    List<Node> all = new ArrayList<>(nodes.values());
    all.addAll(replicas);
    for (Node n : all) {
      try {
        n.stop(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (EventLoopGroup g : loops) {
      g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    for (ExecutorService e : executors) {
      e.shutdownNow();
    }
  }
}
