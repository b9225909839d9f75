package org.fedtrace.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.kit.KitWriter;
import org.fedtrace.conformance.kit.Pem;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.HealthAuthority;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.pki.RevokedCertificate;
import org.fedtrace.testing.Fault;
import org.fedtrace.testing.TestFederation;

/**
 * Our node as the conformance target, in this JVM: a {@link TestFederation} node of country DE
 * serving mutual TLS on a loopback port, whose agreement admits the test operators of a kit written
 * by {@link KitWriter} (members AQ and BV, the kit's health authority for DE), in operator-assisted
 * mode. Offers controlled nodes: fresh nodes of the same kind (same faults) with a clock the case
 * moves.
 */
final class InProcessTarget implements Target, AutoCloseable {
  /** The node's country and operator id (TestFederation names operators "op-cc"). */
  static final String COUNTRY = "DE";

  /** The per-peer rate limit the node is configured with, and declares to the suite. */
  private static final double REQUESTS_PER_SECOND = 200;

  /** The configuration of every target: fast heartbeats and the declared rate limit. */
  private static final String BASE_CONFIG =
      "sync:\n  heartbeatSeconds: 1\nlimits:\n  requestsPerSecondPerPeer: 200\n";

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

  private InProcessTarget(Path root, Set<Fault> faults, String config)
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
            .write(kitDir, Optional.of(nodeIdentity()), List.of("AQ", "BV"));
    admit(plan);
    federation.pki().agreement().writeTo(kitDir);
    federation.startNode(COUNTRY);
    this.kit = Kit.load(kitDir);
  }

  /** Starts our node (with {@code faults}) under {@code root}. */
  static InProcessTarget start(Path root, Set<Fault> faults) {
    return start(root, faults, CONFIG);
  }

  private static InProcessTarget start(Path root, Set<Fault> faults, String config) {
    try {
      return new InProcessTarget(root, faults, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NodeStartException e) {
      throw new IllegalStateException("the node under test did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Starts our node in device mode, the default: it does not list {@code operator-matching}, so the
   * cases of an unlisted feature (R6.17) have something to check.
   */
  static InProcessTarget startDeviceMode(Path root) {
    return start(root, Set.of(), BASE_CONFIG);
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
              authorities);
    }
    for (java.math.BigInteger serial : plan.revoked()) {
      terms =
          terms.withRevoked(
              new RevokedCertificate(serial, RevokedCertificate.Reason.KEY_COMPROMISE));
    }
    federation.pki().setTerms(terms);
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
        start(root.resolve("controlled-" + controlled.incrementAndGet()), faults, config);
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
