package org.fedtrace.sim.federation;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeConfig;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.sim.SimClock;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.upload.Authorizations;

/**
 * The real federation of a simulation run: one fedtrace node per country, in this process, each
 * with its own certificates from a federation authority created for the run, its own SQLite store
 * and its own mutual-TLS listener on a loopback port. Nodes follow each other as the topology says;
 * uploads go through each node's Upload RPC with an authorization from the country's health
 * authority; keys cross borders only through the nodes' subscriptions. The nodes run on the
 * simulated clock, and the simulator drives their batching and retention purge on it.
 */
public final class NodeFederation implements Federation {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final String FEDERATION = "simulation";

  private final FederationSpec spec;
  private final SimClock clock;
  private final Path root;
  private final FederationAuthority authority;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private long lastHousekeepingDay = Long.MIN_VALUE;
  private long syncedTotal;

  /** One country's node and what the simulator needs to talk to it. */
  private static final class Member {
    final OperatorIdentity identity;
    final OperatorCredentials credentials;
    final SigningKey healthAuthority;
    Node node;
    ManagedChannel uploads;

    Member(OperatorIdentity identity, OperatorCredentials credentials, SigningKey ha) {
      this.identity = identity;
      this.credentials = credentials;
      this.healthAuthority = ha;
    }
  }

  /** Issues the PKI and agreement, starts one node per country and connects the topology. */
  public NodeFederation(FederationSpec spec, SimClock clock) {
    this.spec = spec;
    this.clock = clock;
    try {
      this.root = Files.createTempDirectory("fedtrace-sim-");
      Instant now = Instant.now();
      Instant from = earliest(now, spec.start()).minus(Duration.ofDays(1));
      Instant until =
          latest(now, spec.start().plus(Duration.ofDays(400))).plus(Duration.ofDays(60));
      this.authority = FederationAuthority.generate(FEDERATION, from, until, random);
      Agreement agreement = issueMembers(from, until);
      for (Member m : members.values()) {
        writeOperatorFolder(m, agreement);
      }
      for (Member m : members.values()) {
        start(m);
      }
      connect();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot set up the simulated federation", e);
    } catch (NodeStartException e) {
      close();
      throw new IllegalStateException("a simulated node did not start: " + e.getMessage(), e);
    }
  }

  private Agreement issueMembers(Instant from, Instant until) {
    List<OperatorIdentity> ids = new ArrayList<>();
    List<HealthAuthority> has = new ArrayList<>();
    for (String c : spec.countries()) {
      OperatorIdentity id = new OperatorIdentity(c, "sim-" + c.toLowerCase(java.util.Locale.ROOT));
      OperatorCredentials creds =
          authority.issue(id, List.of(), from, until.minus(Duration.ofDays(1)));
      SigningKey ha = SigningKey.generate(random);
      members.put(c, new Member(id, creds, ha));
      ids.add(id);
      has.add(new HealthAuthority(c, "Simulated health authority " + c, ha.verifyingKey()));
    }
    LocalDate sunset = LocalDate.ofInstant(spec.start(), ZoneOffset.UTC).plusDays(365);
    AgreementTerms terms =
        new AgreementTerms(FEDERATION, 1, spec.retentionDays(), sunset, ids, has);
    return authority.sign(terms);
  }

  private void writeOperatorFolder(Member m, Agreement agreement) throws IOException {
    Path dir = root.resolve(m.identity.country());
    Files.createDirectories(dir);
    m.credentials.writeTo(dir);
    Pem.writeCertificates(dir.resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
    agreement.writeTo(dir);
    boolean forward = spec.topology() != Topology.MESH;
    Files.writeString(
        dir.resolve("node.yaml"),
        "listen: 127.0.0.1:7443\n"
            + "dataDir: data\n"
            + "federation:\n  forward: "
            + forward
            + "\n"
            + "batching:\n  maxKeys: "
            + Math.min(spec.batchMaxKeys(), 10_000)
            + "\n  maxAgeSeconds: "
            + Math.min(spec.batchMaxAgeSeconds(), 86_400)
            + "\n  minKeys: "
            + Math.min(spec.paddingMinKeys(), 10_000)
            + "\n"
            + "sync:\n  heartbeatSeconds: 1\n  retryInitialMillis: 50\n  retryMaxMillis: 2000\n"
            + "  idleTimeoutSeconds: 2\n"
            + "metrics:\n  port: 0\n");
  }

  private void start(Member m) throws IOException, NodeStartException {
    Path config = root.resolve(m.identity.country()).resolve("node.yaml");
    NodeConfig c;
    try {
      c = NodeConfig.load(config);
    } catch (NodeConfig.InvalidConfigException e) {
      throw new NodeStartException(e.getMessage());
    }
    Random seeded = new Random(spec.seed() ^ m.identity.country().hashCode() * 0x9E3779B97F4A7C15L);
    Node node = Node.create(c, clock, new Node.Options(seeded, Set.of(), false));
    node.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(node.serverTls()));
    m.node = node;
    m.uploads =
        NettyChannelBuilder.forAddress("127.0.0.1", node.port())
            .sslContext(
                MutualTls.client(
                    m.credentials.tls(), authority.validator(), Clock.systemUTC(), m.identity))
            .build();
  }

  /**
   * Makes each node push to its neighbours in the topology. Pushing (rather than subscribing) keeps
   * a connection open only while there is something to send, so a hundred fully meshed nodes in one
   * process stay within the open-file limit.
   */
  private void connect() throws IOException {
    List<String> order = spec.countries();
    for (int i = 0; i < order.size(); i++) {
      for (String followed : neighbours(order, i)) {
        Member f = members.get(followed);
        members
            .get(order.get(i))
            .node
            .follow(
                new NodeConfig.PeerConfig(
                    f.identity.country(),
                    f.identity.operatorId(),
                    "127.0.0.1",
                    f.node.port(),
                    NodeConfig.SyncMode.PUSH));
      }
    }
  }

  private List<String> neighbours(List<String> order, int i) {
    String self = order.get(i);
    List<String> out = new ArrayList<>();
    switch (spec.topology()) {
      case MESH -> order.stream().filter(c -> !c.equals(self)).forEach(out::add);
      case HUB -> {
        if (self.equals(spec.hub())) {
          order.stream().filter(c -> !c.equals(self)).forEach(out::add);
        } else {
          out.add(spec.hub());
        }
      }
      case CHAIN -> {
        if (i > 0) {
          out.add(order.get(i - 1));
        }
        if (i < order.size() - 1) {
          out.add(order.get(i + 1));
        }
      }
      default -> throw new IllegalStateException("unknown topology " + spec.topology());
    }
    return out;
  }

  @Override
  public void upload(String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime) {
    Member m = member(country);
    UploadDiagnosisKeysRequest request =
        UploadDiagnosisKeysRequest.newBuilder()
            .addAllKeys(keys)
            .setAuthorization(
                Authorizations.issue(
                    m.healthAuthority, country, keys, simTime, Duration.ofMinutes(30), random))
            .build();
    try {
      UploadGrpc.newBlockingStub(m.uploads)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .uploadDiagnosisKeys(request);
    } catch (StatusRuntimeException e) {
      throw new IllegalArgumentException(
          "node "
              + m.identity
              + " refused the upload of person "
              + uploaderId
              + ": "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
    }
  }

  @Override
  public void exchange(Instant simTime) {
    long day = simTime.getEpochSecond() / 86_400;
    if (day != lastHousekeepingDay) {
      lastHousekeepingDay = day;
      members.values().forEach(m -> m.node.housekeeping());
    }
    for (Member m : members.values()) {
      m.node.publishDue(false);
    }
    awaitSynced();
  }

  /**
   * Waits until every node holds every batch any node published: for each origin, its highest
   * sequence number at every node equals the origin's own (subscriptions deliver an origin's
   * batches in sequence order, directly or through a forwarder).
   */
  private void awaitSynced() {
    Map<String, Long> published = new LinkedHashMap<>();
    long total = 0;
    for (Member m : members.values()) {
      long sequence = m.node.store().highestSequence(m.identity.country());
      published.put(m.identity.country(), sequence);
      total += sequence;
    }
    if (total == syncedTotal) {
      return;
    }
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    for (Member m : members.values()) {
      for (Map.Entry<String, Long> origin : published.entrySet()) {
        while (m.node.store().highestSequence(origin.getKey()) < origin.getValue()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "node "
                    + m.identity
                    + " holds "
                    + origin.getKey()
                    + " batches up to sequence "
                    + m.node.store().highestSequence(origin.getKey())
                    + " of "
                    + origin.getValue()
                    + " after "
                    + SYNC_TIMEOUT.toSeconds()
                    + " s");
          }
          pause();
        }
      }
    }
    syncedTotal = total;
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the nodes synced", e);
    }
  }

  @Override
  public Received receivedSince(String country, long marker) {
    Store store = member(country).node.store();
    List<DiagnosisKeyBatch> batches = new ArrayList<>();
    long last = marker;
    while (true) {
      Store.Page page = store.batchesAfter(last, 1000, "", "", false);
      for (StoredBatch b : page.batches()) {
        batches.add(parse(b.payload()));
      }
      if (page.lastPosition() == last) {
        break;
      }
      last = page.lastPosition();
    }
    // arrival order between origins depends on network timing; sort for repeatable runs
    batches.sort(BY_ORIGIN_AND_SEQUENCE);
    return new Received(batches, last);
  }

  private static final Comparator<DiagnosisKeyBatch> BY_ORIGIN_AND_SEQUENCE =
      Comparator.comparing(DiagnosisKeyBatch::getOrigin)
          .thenComparingLong(DiagnosisKeyBatch::getSequence);

  @Override
  public long trafficBytes(String country) {
    return member(country).node.metrics().batchBytesTotal();
  }

  @Override
  public List<DiagnosisKeyBatch> published() {
    List<DiagnosisKeyBatch> out = new ArrayList<>();
    for (Member m : members.values()) {
      for (StoredBatch b : m.node.store().batchesOf(m.identity.country())) {
        out.add(parse(b.payload()));
      }
    }
    out.sort(
        Comparator.comparingLong(DiagnosisKeyBatch::getCreatedUnixSeconds)
            .thenComparing(BY_ORIGIN_AND_SEQUENCE));
    return out;
  }

  @Override
  public void close() {
    for (Member m : members.values()) {
      if (m.node != null) {
        m.node.unfollowAll();
      }
    }
    for (Member m : members.values()) {
      if (m.uploads != null) {
        m.uploads.shutdownNow();
      }
      if (m.node != null) {
        try {
          m.node.stop(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    deleteQuietly(root);
  }

  private Member member(String country) {
    Member m = members.get(country);
    if (m == null) {
      throw new IllegalArgumentException("no node for country " + country);
    }
    return m;
  }

  private static DiagnosisKeyBatch parse(byte[] payload) {
    try {
      return DiagnosisKeyBatch.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored batch does not parse", e);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the run for
    }
  }
}
