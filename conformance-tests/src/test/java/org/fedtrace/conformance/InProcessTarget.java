package org.fedtrace.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.kit.KitWriter;
import org.fedtrace.conformance.kit.Pem;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.export.ExportKeys;
import org.fedtrace.export.ExportPolicy;
import org.fedtrace.export.Exporter;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.pki.RevokedCertificate;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.testing.Fault;
import org.fedtrace.testing.TestFederation;

/**
 * Our node as the conformance target, in this JVM: a {@link TestFederation} node of country DE
 * serving mutual TLS on a loopback port, whose agreement admits the test operators of a kit written
 * by {@link KitWriter} (members AQ and BV, regional members C and D of HM, the kit's health
 * authority for DE; the regional agreement adds DE/conformance-sibling), in operator-assisted mode.
 * Offers controlled nodes: fresh nodes of the same kind (same faults) with a clock the case moves.
 */
final class InProcessTarget implements Target, AutoCloseable {
  /** The node's country and operator id (TestFederation names operators "op-cc"). */
  static final String COUNTRY = "DE";

  /** The per-peer rate limit the node is configured with, and declares to the suite. */
  private static final double REQUESTS_PER_SECOND = 200;

  /** The configuration of every target: fast heartbeats and the declared rate limit. */
  private static final String BASE_CONFIG =
      "sync:\n  heartbeatSeconds: 1\nlimits:\n  requestsPerSecondPerPeer: 200\n"
          // statistics whose noise is 0 but with probability below 10^-400: the controlled
          // node's releases are exact, so R18_2_releasesOnAControlledNodeAfterTheDelay checks them
          + "statistics:\n  enabled: true\n  epsilonPerDay: 999999\n  totalEpsilon: 999999000\n";

  /** Operator-assisted mode, so that the cases of §15 run (feature operator-matching). */
  private static final String CONFIG = BASE_CONFIG + "matching:\n  mode: operator\n";

  private final Path root;
  private final Set<Fault> faults;
  private final MutableClock clock;
  private final TestFederation federation;
  private final Kit kit;
  private final AtomicInteger controlled = new AtomicInteger();
  private final List<InProcessTarget> children = new ArrayList<>();
  private Thread draining;

  private final String config;
  private ExportSite exports;

  /** Which of the kit's agreements the node runs. */
  enum Pass {
    /** The kit's agreement. */
    ACTIVE,
    /** The kit's regional agreement (spec/conformance.md §6.4). */
    REGIONAL,
    /** The kit's past-sunset agreement (spec/conformance.md §6.3). */
    PAST_SUNSET
  }

  private InProcessTarget(Path root, Set<Fault> faults, String config, Pass pass)
      throws IOException, NodeStartException {
    this.root = root;
    this.config = config;
    this.faults = faults;
    this.clock = new MutableClock();
    this.federation =
        TestFederation.create(root.resolve("federation"), clock, COUNTRY)
            .withConfig(config + publicSection())
            // the node's default and R21.15's recommendation: the own-batch cases must cope
            .withMinUploads(3)
            .withFaults(faults);
    Path authority = Files.createDirectories(root.resolve("authority"));
    federation.pki().authority().writeTo(authority);
    Path kitDir = root.resolve("kit");
    KitWriter.Plan plan =
        new KitWriter(
                Pem.readCertificate(authority.resolve(PkiFiles.CA_CERTIFICATE)),
                Pem.readPrivateKey(authority.resolve(PkiFiles.CA_KEY)),
                Instant.now())
            .write(kitDir, Optional.of(nodeIdentity()), List.of("AQ", "BV", "HM"));
    admit(plan);
    federation.pki().agreement().writeTo(kitDir);
    // the kit's regional and past-sunset agreements, as `conformance kit` writes them
    AgreementTerms active = federation.pki().terms();
    Identity sibling = plan.sibling().orElseThrow();
    AgreementTerms regional =
        active.withMember(new OperatorIdentity(sibling.country(), sibling.operatorId()));
    federation.pki().setTerms(regional);
    federation.pki().agreement().writeTo(kitDir.resolve(Kit.REGIONAL));
    federation.pki().setTerms(pastSunset(active, regional.version() + 1));
    federation.pki().agreement().writeTo(Files.createDirectory(kitDir.resolve(Kit.PAST_SUNSET)));
    if (pass == Pass.ACTIVE) {
      federation.pki().setTerms(active);
    } else if (pass == Pass.REGIONAL) {
      federation.pki().setTerms(regional);
    }
    federation.startNode(COUNTRY);
    this.kit = Kit.load(kitDir);
  }

  /** Starts our node (with {@code faults}) under {@code root}. */
  static InProcessTarget start(Path root, Set<Fault> faults) {
    return start(root, faults, CONFIG, Pass.ACTIVE);
  }

  private static InProcessTarget start(Path root, Set<Fault> faults, String config, Pass pass) {
    try {
      return new InProcessTarget(root, faults, config, pass);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NodeStartException e) {
      throw new IllegalStateException("the node under test did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Starts our node (with {@code faults}) under {@code root} on the kit's past-sunset agreement, as
   * the second pass of a remote run has it (spec/conformance.md §6.3).
   */
  static InProcessTarget startPastSunset(Path root, Set<Fault> faults) {
    return start(root, faults, CONFIG, Pass.PAST_SUNSET);
  }

  /**
   * Starts our node (with {@code faults}) under {@code root} on the kit's regional agreement, which
   * lists a second member of its country, as the regional pass of a remote run has it
   * (spec/conformance.md §6.4).
   */
  static InProcessTarget startRegional(Path root, Set<Fault> faults) {
    return start(root, faults, CONFIG, Pass.REGIONAL);
  }

  /**
   * Starts our node in device mode, the default: it does not list {@code operator-matching}, so the
   * cases of an unlisted feature (R6.17) have something to check.
   */
  static InProcessTarget startDeviceMode(Path root) {
    return start(root, Set.of(), BASE_CONFIG, Pass.ACTIVE);
  }

  private Identity nodeIdentity() {
    OperatorIdentity id = federation.credentials(COUNTRY).identity();
    return new Identity(id.country(), id.operatorId());
  }

  /** Adds the kit's members and health authority to the agreement, as an authority would. */
  private void admit(KitWriter.Plan plan) {
    AgreementTerms terms = federation.pki().terms();
    for (Identity m : plan.members()) {
      terms = terms.withMember(new OperatorIdentity(m.country(), m.operatorId()));
    }
    if (plan.healthAuthority().isPresent()) {
      KitWriter.HealthAuthorityKey ha = plan.healthAuthority().get();
      List<HealthAuthority> authorities = new ArrayList<>(terms.healthAuthorities());
      authorities.add(
          new HealthAuthority(
              ha.country(),
              "Conformance test health authority",
              CertificateKeys.verifyingKeyFromSpki(ha.spki())));
      terms =
          new AgreementTerms(
              terms.federation(),
              terms.version() + 1,
              terms.retentionDays(),
              terms.sunsetDate(),
              terms.members(),
              authorities,
              new AgreementTerms.Extras(terms.revokedCertificates(), terms.sharing()));
    }
    for (java.math.BigInteger serial : plan.revoked()) {
      terms =
          terms.withRevoked(
              new RevokedCertificate(serial, RevokedCertificate.Reason.KEY_COMPROMISE));
    }
    // the kit's sharing terms (spec §25.3), as `conformance kit --node` writes them
    String a = plan.members().get(0).country();
    String b = plan.members().get(1).country();
    List<String> countries =
        plan.members().stream()
            .map(Identity::country)
            .distinct()
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    countries.add(0, COUNTRY);
    terms =
        terms.withSharing(
            org.fedtrace.pki.SharingTerms.withFederateOnly(
                terms, countries, KitSharing.restrictedPairs(COUNTRY, a, b)));
    federation.pki().setTerms(terms);
  }

  /**
   * {@code terms} as version {@code version} (after the regional agreement's), with a sunset date
   * two days before today (UTC).
   */
  private static AgreementTerms pastSunset(AgreementTerms terms, long version) {
    return new AgreementTerms(
        terms.federation(),
        version,
        terms.retentionDays(),
        java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2),
        terms.members(),
        terms.healthAuthorities(),
        new AgreementTerms.Extras(terms.revokedCertificates(), terms.sharing()));
  }

  Node node() {
    return federation.node(COUNTRY);
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return node().port();
  }

  @Override
  public Kit kit() {
    return kit;
  }

  /**
   * The node's key export files (spec §24), written on first use: member A publishes a batch of
   * keys of the last three days, one of them revoked, and one key still valid today; then the
   * node's own exporter publishes the hour that ended last into a folder, signed with a key made
   * for it. The node's export job is not used: it would publish only at its next minute.
   */
  @Override
  public synchronized Optional<ExportSite> exports() {
    if (exports == null) {
      try {
        exports = writeExports();
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write the node's exports: " + e.getMessage(), e);
      }
    }
    return Optional.of(exports);
  }

  private ExportSite writeExports() throws IOException, GeneralSecurityException {
    try (Session s = new Session(this)) {
      Batches batches = s.batches();
      List<DiagnosisKey> keys = new ArrayList<>(batches.keys(200));
      keys.add(batches.key(2).toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build());
      int today = (int) (batches.nowInterval() / Batches.DAY * Batches.DAY);
      keys.add(batches.key(1).toBuilder().setRollingStartIntervalNumber(today).build());
      Kit.Operator a = kit.memberA();
      DiagnosisKeyBatch b = Batches.sign(batches.batch(a.identity().country(), keys), a.signing());
      s.federation(a.tls()).publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build());
    }
    Path dir = root.resolve("exports");
    Path key = root.resolve("export-signing.key");
    ExportKeys.generate(key, new SecureRandom());
    GaenExportWriter writer =
        new GaenExportWriter(new GaenExportWriter.SignatureInfo("999", "v1"), ExportKeys.load(key));
    new Exporter(
            federation.node(COUNTRY).store(),
            new ExportPolicy(ExportPolicy.MIN_DELAY_SECONDS, 140, 100_000, "ALL", 14),
            writer,
            dir,
            new SecureRandom(),
            COUNTRY)
        .run(clock.instant().getEpochSecond());
    PublicKey pub =
        CertificateKeys.ecdsaP256PublicKey(
            org.fedtrace.pki.Pem.readPublicKeyInfo(ExportKeys.publicKeyFile(key)));
    return ExportSite.of(dir.toString(), Optional.of(pub));
  }

  @Override
  public Optional<Integer> publicPort() {
    return Optional.of(node().publicPort());
  }

  /** The public endpoint on a free loopback port, with a limit no case reaches. */
  private static String publicSection() throws IOException {
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      return "public:\n  host: 127.0.0.1\n  port: "
          + free.getLocalPort()
          + "\n  requestsPerSecondPerClient: 10000\n";
    }
  }

  @Override
  public Optional<Double> declaredRequestsPerSecond() {
    return Optional.of(REQUESTS_PER_SECOND);
  }

  @Override
  public Optional<ControlledNodes> controlledNodes() {
    return Optional.of(this::startControlled);
  }

  private ControlledNodes.ControlledNode startControlled() {
    InProcessTarget child =
        start(
            root.resolve("controlled-" + controlled.incrementAndGet()),
            faults,
            config,
            Pass.ACTIVE);
    synchronized (children) {
      children.add(child);
    }
    return new ControlledNodes.ControlledNode() {
      @Override
      public Target target() {
        return child;
      }

      @Override
      public void advanceClock(Duration by) {
        child.clock.advance(by);
        child.node().housekeeping();
        child.node().releaseStatistics();
      }

      @Override
      public void restart() throws Exception {
        child.federation.stopNode(COUNTRY);
        child.federation.startNode(COUNTRY);
      }

      @Override
      public void beginDraining() {
        child.node().drain(); // draining has begun when this returns; the stop finishes behind
        child.draining =
            new Thread(
                () -> {
                  try {
                    child.federation.stopNode(COUNTRY);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "conformance-drain");
        child.draining.setDaemon(true);
        child.draining.start();
      }

      @Override
      public void close() {
        child.close();
      }
    };
  }

  @Override
  public void close() {
    try {
      if (draining != null) {
        draining.join();
      }
      synchronized (children) {
        for (InProcessTarget c : children) {
          c.close();
        }
        children.clear();
      }
      federation.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
