package org.fedtrace.sim.federation;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.upload.Authorizations;

/**
 * What the two real federations of a run ({@link NodeFederation} in this process, {@link
 * ProcessFederation} one process per node) set up alike: a federation authority created for the
 * run; per country an operator with TLS and signing certificates, a health authority, and a folder
 * holding the node's files and configuration; the signed agreement naming them all; the push links
 * of the topology; each node's seed; uploads through a node's Upload RPC; and, in operator-assisted
 * matching, the operator backend's calls of a node's OperatorMatching service.
 */
final class FederationSetup {
  private static final String FEDERATION = "simulation";

  /**
   * The nodes' per-caller request rate in operator-assisted matching: the simulated clock stands
   * still during a simulated hour, so the default (200 a second) would refuse all but 200 of the
   * operator backend's calls in each hour.
   */
  private static final long OPERATOR_RATE = 1_000_000_000L;

  /** OperatorMatching calls one run keeps in flight at once. */
  private static final int IN_FLIGHT = 64;

  private static final long DEADLINE_SECONDS = 30;
  private static final long WITNESS_ROUNDS_PER_SECOND = 10;

  /**
   * Seconds a node keeps an idle push connection open when the federation's links fit in the
   * open-file limit (see {@link #idleTimeoutSeconds}): longer than any run's pause between pushes.
   */
  private static final long KEEP_OPEN_SECONDS = 3_600;

  /** Seconds a node keeps an idle push connection open when they do not fit. */
  private static final long CLOSE_IDLE_SECONDS = 2;

  private final FederationSpec spec;
  private final Path root;
  private final SecureRandom random = new SecureRandom();
  private final FederationAuthority authority;
  private final Map<String, Member> members = new LinkedHashMap<>();

  /**
   * One country's operator: its identity and credentials, its health authority's signing key, and
   * the folder of its node.
   */
  record Member(
      OperatorIdentity identity,
      OperatorCredentials credentials,
      SigningKey healthAuthority,
      Path folder) {
    String country() {
      return identity.country();
    }
  }

  /**
   * Issues the PKI and agreement and writes each member's folder under {@code root}: credentials,
   * the authority's certificate and the signed agreement (the configuration comes with {@link
   * #writeConfig}).
   */
  FederationSetup(FederationSpec spec, Path root) throws IOException {
    this.spec = spec;
    this.root = root;
    Instant now = Instant.now();
    Instant from = earliest(now, spec.start()).minus(Duration.ofDays(1));
    Instant until = latest(now, spec.start().plus(Duration.ofDays(400))).plus(Duration.ofDays(60));
    this.authority = FederationAuthority.generate(FEDERATION, from, until, random);
    List<OperatorIdentity> ids = new ArrayList<>();
    List<HealthAuthority> has = new ArrayList<>();
    // key generation and signing of a hundred members take seconds: on every processor at once
    List<Member> issued =
        spec.countries().parallelStream()
            .map(
                c -> {
                  OperatorIdentity id =
                      new OperatorIdentity(c, "sim-" + c.toLowerCase(Locale.ROOT));
                  OperatorCredentials creds =
                      authority.issue(id, List.of(), from, until.minus(Duration.ofDays(1)));
                  return new Member(id, creds, SigningKey.generate(random), root.resolve(c));
                })
            .toList();
    for (Member m : issued) {
      String c = m.country();
      members.put(c, m);
      ids.add(m.identity());
      has.add(
          new HealthAuthority(
              c, "Simulated health authority " + c, m.healthAuthority().verifyingKey()));
    }
    LocalDate sunset = LocalDate.ofInstant(spec.start(), ZoneOffset.UTC).plusDays(365);
    Agreement agreement =
        authority.sign(new AgreementTerms(FEDERATION, 1, spec.retentionDays(), sunset, ids, has));
    for (Member m : members.values()) {
      Files.createDirectories(m.folder());
      m.credentials().writeTo(m.folder());
      Pem.writeCertificates(m.folder().resolve(PkiFiles.CA_CERTIFICATE), authority.certificate());
      agreement.writeTo(m.folder());
    }
  }

  /** The folder holding every member's folder. */
  Path root() {
    return root;
  }

  /** The members in the spec's country order. */
  List<Member> members() {
    return List.copyOf(members.values());
  }

  /**
   * The member of {@code country}.
   *
   * @throws IllegalArgumentException if the federation has no node for it
   */
  Member member(String country) {
    Member m = members.get(country);
    if (m == null) {
      throw new IllegalArgumentException("no node for country " + country);
    }
    return m;
  }

  /**
   * The configuration of the member's node: the spec's batching and padding (capped at what the
   * node accepts), forwarding for hub and chain, prompt retries and heartbeats, the given listener,
   * metrics port and peers, and in operator-assisted matching the mode, the notification threshold
   * and a request rate that the operator backend's calls fit in. Paths are those of the member's
   * folder.
   */
  NodeConfig config(Member m, int listenPort, int metricsPort, List<NodeConfig.Peer> peers) {
    NodeConfig defaults = NodeConfig.defaults(m.folder());
    NodeConfig.Builder b =
        defaults.toBuilder()
            .listen(new NodeConfig.Listen("127.0.0.1", listenPort))
            .federation(
                new NodeConfig.Federation(
                    defaults.federation().caCertificate(),
                    defaults.federation().agreement(),
                    spec.topology() != Topology.MESH))
            .batching(
                new NodeConfig.Batching(
                    Math.min(spec.batchMaxKeys(), 10_000),
                    (int) Math.min(spec.batchMaxAgeSeconds(), 86_400),
                    Math.min(spec.batchMinUploads(), 1_000),
                    (int) Math.min(spec.batchMaxHoldSeconds(), 86_400),
                    Math.min(spec.paddingMinKeys(), 10_000),
                    spec.decoyUploads()))
            .sync(
                new NodeConfig.Sync(
                    idleTimeoutSeconds(),
                    defaults.sync().deadlineMillis(),
                    1,
                    50,
                    2_000,
                    witnessIntervalSeconds()))
            .metrics(new NodeConfig.Metrics("127.0.0.1", metricsPort))
            .peers(peers);
    if (spec.operatorMatching()) {
      NodeConfig.Matching m0 = defaults.matching();
      NodeConfig.Limits l0 = defaults.limits();
      b.matching(
              new NodeConfig.Matching(
                  NodeConfig.MatchingMode.OPERATOR,
                  Math.max(spec.notifyThreshold(), Double.MIN_VALUE),
                  m0.maxObservationsPerDevice(),
                  m0.threads()))
          // the backend's calls of one simulated hour all happen at one instant of the nodes' clock
          .limits(
              new NodeConfig.Limits(
                  l0.maxKeysPerBatch(),
                  l0.maxMessageBytes(),
                  OPERATOR_RATE,
                  l0.keysPerSecondPerPeer()));
    }
    try {
      return b.build();
    } catch (InvalidConfigException e) {
      throw new IllegalStateException(
          "the scenario gives node " + m.identity() + " an invalid setting: " + e.getMessage(), e);
    }
  }

  /**
   * How long a node keeps an idle push connection open. Every link of the topology is a connection
   * with two ends (two open files when both nodes run in this process), and a run that reopens a
   * link for every batch pays a TLS handshake and an agreement check (GetNodeInfo, R7.9) each time:
   * so the connections stay open when twice the links fit in half the open-file limit (a hub of a
   * hundred: 198 links), and close after two idle seconds otherwise (a mesh of a hundred: 9,900
   * links, 19,800 open files, against a limit of 20,000 on the development machine).
   */
  long idleTimeoutSeconds() {
    return 2 * links() <= openFileLimit() / 2 ? KEEP_OPEN_SECONDS : CLOSE_IDLE_SECONDS;
  }

  /**
   * How often, in real seconds, each node witnesses each peer's log (R17.1, the node's {@code
   * sync.witnessIntervalSeconds}): a minute, or for a large federation the interval that keeps all
   * links' rounds to about {@value #WITNESS_ROUNDS_PER_SECOND} a second, at most the hour a node
   * accepts. A round is three calls, on a link closed when idle with a TLS handshake: a mesh of 100
   * (9,900 links) witnessing every minute of real time spent more than both cores of the
   * development machine on it (rounds run on the node's own witness threads, spread over the
   * interval). The interval is real time while the simulation runs on simulated time, so it changes
   * no figure of the report.
   */
  long witnessIntervalSeconds() {
    return Math.min(3_600, Math.max(60, links() / WITNESS_ROUNDS_PER_SECOND));
  }

  /** The topology's push links, both directions counted. */
  private long links() {
    long links = 0;
    for (String c : spec.countries()) {
      links += spec.neighbours(c).size();
    }
    return links;
  }

  private static long openFileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 1_024;
  }

  /**
   * The countries {@code country}'s node pushes its batches to. Pushing (rather than subscribing)
   * keeps a connection open only while there is something to send, so a hundred fully meshed nodes
   * stay within the open-file limit.
   */
  List<String> neighbours(String country) {
    return spec.neighbours(country);
  }

  /** A push link to {@code country}'s node, listening on {@code port} of the loopback address. */
  NodeConfig.Peer pushTo(String country, int port) {
    return NodeConfig.Peer.push(member(country).identity(), "127.0.0.1", port);
  }

  /**
   * The seed of {@code country}'s node's batch ids and padding keys, derived from the run's seed,
   * so that both federations publish the same batches for the same run.
   */
  long seed(String country) {
    return spec.seed() ^ country.hashCode() * 0x9E3779B97F4A7C15L;
  }

  /** A mutual-TLS channel to the Upload service of {@code m}'s node, as {@code m} itself. */
  ManagedChannel uploadChannel(Member m, int port) throws IOException {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .sslContext(
            MutualTls.client(
                m.credentials().tls(), authority.validator(), Clock.systemUTC(), m.identity()))
        .build();
  }

  /** The simulator's id of an uploader (never sent) and their choice (spec §25.1). */
  record Uploader(int id, Federation.Consent consent) {}

  /**
   * Uploads {@code keys} to {@code m}'s node with an authorization from its health authority issued
   * at {@code simTime} and covering exactly these keys.
   *
   * @throws IllegalArgumentException if the node refuses the upload
   */
  void upload(
      ManagedChannel channel,
      Member m,
      List<DiagnosisKey> keys,
      Uploader uploader,
      Instant simTime) {
    int uploaderId = uploader.id();
    UploadDiagnosisKeysRequest request =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(
                uploader.consent() == Federation.Consent.DOMESTIC_ONLY
                    ? org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY
                    : org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .setTraveller(uploader.consent() == Federation.Consent.TRAVELLER)
            .addAllKeys(keys)
            .setAuthorization(
                Authorizations.issue(
                    m.healthAuthority(),
                    m.country(),
                    keys,
                    simTime,
                    Duration.ofMinutes(30),
                    random))
            .build();
    try {
      UploadGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .uploadDiagnosisKeys(request);
    } catch (StatusRuntimeException e) {
      throw new IllegalArgumentException(
          "node "
              + m.identity()
              + " refused the upload of person "
              + uploaderId
              + ": "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
    }
  }

  /**
   * Deposits through the OperatorMatching service of each device's home node, over the channel
   * {@code channels} gives for the country (one of that country's operator), several calls in
   * flight at once.
   *
   * @throws IllegalStateException if a node refuses a deposit
   */
  void deposit(List<Federation.Deposit> deposits, Function<String, ManagedChannel> channels) {
    pipelined(
        deposits.size(),
        i -> deposits.get(i).device().country(),
        i -> {
          Federation.Deposit d = deposits.get(i);
          return OperatorMatchingGrpc.newFutureStub(channels.apply(d.device().country()))
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .depositObservations(
                  DepositObservationsRequest.newBuilder()
                      .setDeviceKey(d.device().key())
                      .addAllObservations(d.observations())
                      .build());
        },
        i ->
            "node " + member(deposits.get(i).device().country()).identity() + " refused a deposit");
  }

  /**
   * The exposures each device's home node holds for it, in the order of {@code devices}, several
   * calls in flight at once.
   *
   * @throws IllegalStateException if a node refuses a call
   */
  List<List<Exposure>> exposures(
      List<Federation.Device> devices, Function<String, ManagedChannel> channels) {
    List<GetExposuresResponse> answers =
        pipelined(
            devices.size(),
            i -> devices.get(i).country(),
            i ->
                OperatorMatchingGrpc.newFutureStub(channels.apply(devices.get(i).country()))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getExposures(
                        GetExposuresRequest.newBuilder()
                            .setDeviceKey(devices.get(i).key())
                            .build()),
            i -> "node " + member(devices.get(i).country()).identity() + " refused GetExposures");
    return answers.stream().map(GetExposuresResponse::getExposuresList).toList();
  }

  /**
   * Makes {@code n} calls with at most {@link #IN_FLIGHT} outstanding, and returns their answers in
   * call order.
   *
   * @throws IllegalStateException naming the first call that failed ({@code failure}) and its
   *     status
   */
  private static <T> List<T> pipelined(
      int n,
      IntFunction<String> country,
      IntFunction<ListenableFuture<T>> call,
      IntFunction<String> failure) {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<ListenableFuture<T>> calls = new ArrayList<>(Collections.nCopies(n, null));
    try {
      for (int i : roundRobin(n, country)) {
        slots.acquire();
        ListenableFuture<T> f = call.apply(i);
        f.addListener(slots::release, MoreExecutors.directExecutor());
        calls.set(i, f);
      }
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        try {
          out.add(calls.get(i).get());
        } catch (ExecutionException e) {
          Status status = Status.fromThrowable(e.getCause());
          throw new IllegalStateException(
              failure.apply(i) + ": " + status.getCode() + " " + status.getDescription(),
              e.getCause());
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the simulated nodes", e);
    } finally {
      for (ListenableFuture<T> f : calls) {
        if (f != null) {
          f.cancel(false); // nothing is left running after a failure
        }
      }
    }
  }

  /**
   * The indexes {@code 0..n-1} taking turns between countries, so that the calls in flight keep
   * every node busy (a node commits one deposit at a time).
   */
  private static List<Integer> roundRobin(int n, IntFunction<String> country) {
    Map<String, List<Integer>> byCountry = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byCountry.computeIfAbsent(country.apply(i), c -> new ArrayList<>()).add(i);
    }
    List<Integer> out = new ArrayList<>(n);
    for (int turn = 0; out.size() < n; turn++) {
      for (List<Integer> calls : byCountry.values()) {
        if (turn < calls.size()) {
          out.add(calls.get(turn));
        }
      }
    }
    return out;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
