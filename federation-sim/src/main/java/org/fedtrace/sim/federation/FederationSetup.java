package org.fedtrace.sim.federation;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.NodeConfig;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.FederationAuthority;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.upload.Authorizations;

/**
 * What the two real federations of a run ({@link NodeFederation} in this process, {@link
 * ProcessFederation} one process per node) set up alike: a federation authority created for the
 * run; per country an operator with TLS and signing certificates, a health authority, and a folder
 * holding the node's files and configuration; the signed agreement naming them all; the push links
 * of the topology; each node's seed; and uploads through a node's Upload RPC.
 */
final class FederationSetup {
  private static final String FEDERATION = "simulation";

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
    for (String c : spec.countries()) {
      OperatorIdentity id = new OperatorIdentity(c, "sim-" + c.toLowerCase(Locale.ROOT));
      OperatorCredentials creds =
          authority.issue(id, List.of(), from, until.minus(Duration.ofDays(1)));
      SigningKey ha = SigningKey.generate(random);
      members.put(c, new Member(id, creds, ha, root.resolve(c)));
      ids.add(id);
      has.add(new HealthAuthority(c, "Simulated health authority " + c, ha.verifyingKey()));
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
   * Writes the member's {@code node.yaml}: the spec's batching and padding (capped at what the node
   * accepts), forwarding for hub and chain, prompt retries and heartbeats, and the given listener,
   * metrics port and peers.
   *
   * @return the file
   */
  Path writeConfig(Member m, int listenPort, int metricsPort, List<NodeConfig.PeerConfig> peers)
      throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("listen: 127.0.0.1:").append(listenPort).append('\n');
    yaml.append("dataDir: data\n");
    yaml.append("federation:\n  forward: ").append(spec.topology() != Topology.MESH).append('\n');
    yaml.append("batching:\n  maxKeys: ").append(Math.min(spec.batchMaxKeys(), 10_000));
    yaml.append("\n  maxAgeSeconds: ").append(Math.min(spec.batchMaxAgeSeconds(), 86_400));
    yaml.append("\n  minUploads: ").append(Math.min(spec.batchMinUploads(), 1_000));
    yaml.append("\n  maxHoldSeconds: ").append(Math.min(spec.batchMaxHoldSeconds(), 86_400));
    yaml.append("\n  minKeys: ").append(Math.min(spec.paddingMinKeys(), 10_000)).append('\n');
    yaml.append("sync:\n  heartbeatSeconds: 1\n  retryInitialMillis: 50\n");
    yaml.append("  retryMaxMillis: 2000\n  idleTimeoutSeconds: 2\n");
    yaml.append("metrics:\n  port: ").append(metricsPort).append('\n');
    if (!peers.isEmpty()) {
      yaml.append("peers:\n");
      for (NodeConfig.PeerConfig p : peers) {
        yaml.append("  - {identity: ")
            .append(p.name())
            .append(", address: \"")
            .append(p.host())
            .append(':')
            .append(p.port())
            .append("\", mode: ")
            .append(p.mode().name().toLowerCase(Locale.ROOT))
            .append("}\n");
      }
    }
    Path file = m.folder().resolve("node.yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }

  /**
   * The countries {@code country}'s node pushes its batches to. Pushing (rather than subscribing)
   * keeps a connection open only while there is something to send, so a hundred fully meshed nodes
   * stay within the open-file limit.
   */
  List<String> neighbours(String country) {
    List<String> order = spec.countries();
    int i = order.indexOf(country);
    List<String> out = new ArrayList<>();
    switch (spec.topology()) {
      case MESH -> order.stream().filter(c -> !c.equals(country)).forEach(out::add);
      case HUB -> {
        if (country.equals(spec.hub())) {
          order.stream().filter(c -> !c.equals(country)).forEach(out::add);
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

  /** A push link to {@code country}'s node, listening on {@code port} of the loopback address. */
  NodeConfig.PeerConfig pushTo(String country, int port) {
    OperatorIdentity id = member(country).identity();
    return new NodeConfig.PeerConfig(
        id.country(), id.operatorId(), "127.0.0.1", port, NodeConfig.SyncMode.PUSH);
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

  /**
   * Uploads {@code keys} to {@code m}'s node with an authorization from its health authority issued
   * at {@code simTime} and covering exactly these keys.
   *
   * @throws IllegalArgumentException if the node refuses the upload
   */
  void upload(
      ManagedChannel channel, Member m, List<DiagnosisKey> keys, int uploaderId, Instant simTime) {
    UploadDiagnosisKeysRequest request =
        UploadDiagnosisKeysRequest.newBuilder()
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

  /** Deletes {@code dir} and everything in it, quietly (a temporary folder left is no failure). */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the run for
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
