package org.fedtrace.sim.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.sim.Simulator;
import org.fedtrace.sim.SmallScenarios;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code matching.mode: operator} runs through the real nodes: they run in operator-assisted mode,
 * the simulated operator backends deposit over the OperatorMatching service and fetch the
 * exposures, and the report's figures are what the nodes hold. The same small scenario in device
 * mode leaves the nodes' operator tables empty.
 */
class OperatorMatchingSimulationTest {
  /**
   * Nobody reacts to a notification here: people learn of their exposures at their polls in both
   * modes, but from different sources (the node's matching, the phone's), so with reactions the two
   * modes' epidemics would differ.
   */
  private static final String SCENARIO =
      SmallScenarios.yaml(5, 5000, 7)
          + "federation: {padding_min_keys: 64}\n"
          + "behaviour: {quarantine_compliance: 0, test_notified_share: 0}\n"
          + "baselines: {counterfactuals: false}\n";

  private static Run operator;
  private static Run device;

  /** A run's report and what its nodes held and answered. */
  private record Run(Report report, Watched nodes) {}

  @BeforeAll
  static void runBothModes() throws Exception {
    operator = run("matching: {mode: operator}\n");
    device = run("matching: {mode: device}\n");
  }

  private static Run run(String matching) throws Exception {
    Watched[] watched = new Watched[1];
    FederationFactory factory =
        (spec, clock) -> watched[0] = new Watched(new NodeFederation(spec, clock), spec);
    Report r =
        Measurement.measure(
            new Simulator(
                    ScenarioLoader.parse(SCENARIO + matching, "small.yaml"),
                    factory,
                    new EngineMatcher(),
                    p -> {},
                    2)
                .run(),
            "small.yaml");
    return new Run(r, watched[0]);
  }

  @Test
  void theNodesFindExposuresAndHoldThem() {
    assertTrue(operator.nodes().exposedDevices > 0, "no node holds an exposure");
    assertTrue(operator.nodes().notifiedDevices > 0, "no node holds a notified exposure");
    assertTrue(operator.nodes().observations > 0);
    assertTrue(
        operator.nodes().observations < operator.report().truth().observations(),
        "only observations that can match are deposited");
  }

  @Test
  void theOperatorLearnsWhomItsNodesHoldExposuresFor() {
    long learned = operator.report().main().privacy().operatorLearnsExposures();

    assertTrue(learned > 0);
    assertEquals(operator.nodes().exposedDevices, learned);
    assertEquals(operator.nodes().answeredWithExposures.size(), learned);
  }

  @Test
  void notificationsAreTheExposuresTheNodesNotified() throws Exception {
    assertEquals(operator.nodes().notifiedDevices, operator.report().main().accuracy().notified());
    assertEquals(0, operator.report().truth().falseMatchesOnPadding());
    int pollHours = ScenarioLoader.parse(SCENARIO, "small.yaml").matching().devicePollHours();
    // both learn at a poll: the backend's of the node's exposures, the phone's of the exports
    assertTrue(
        operator.report().main().latency().crossBorderP50Hours()
            <= device.report().main().latency().crossBorderP50Hours() + pollHours,
        "the backend fetches the exposures at the phone's polls");
  }

  @Test
  void inDeviceModeTheOperatorLearnsNothingAndTheNodesHoldNothing() {
    assertEquals(0, device.report().main().privacy().operatorLearnsExposures());
    assertTrue(device.report().main().accuracy().notified() > 0);
    assertEquals(0, device.nodes().observations);
    assertEquals(0, device.nodes().exposedDevices);
    assertEquals(0, device.nodes().calls);
  }

  @Test
  void theModeChangesNothingBeforeMatching() {
    assertEquals(device.report().truth(), operator.report().truth());
  }

  /**
   * A node federation that records the GetExposures answers and, before the nodes stop, what they
   * hold: devices with an exposure, devices with a notified one, observations.
   */
  private static final class Watched implements Federation {
    private final NodeFederation nodes;
    private final FederationSpec spec;
    final Set<ByteString> answeredWithExposures = new HashSet<>();
    long exposedDevices;
    long notifiedDevices;
    long observations;
    long calls;

    Watched(NodeFederation nodes, FederationSpec spec) {
      this.nodes = nodes;
      this.spec = spec;
    }

    @Override
    public void upload(
        String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime, Consent consent) {
      nodes.upload(country, keys, uploaderId, simTime, consent);
    }

    @Override
    public void exchange(Instant simTime) {
      nodes.exchange(simTime);
    }

    @Override
    public Received receivedSince(String country, long marker) {
      return nodes.receivedSince(country, marker);
    }

    @Override
    public void deposit(List<Deposit> deposits, Instant simTime) {
      calls += deposits.size();
      nodes.deposit(deposits, simTime);
    }

    @Override
    public List<List<Exposure>> exposures(List<Device> devices, Instant simTime) {
      calls += devices.size();
      List<List<Exposure>> answers = nodes.exposures(devices, simTime);
      for (int i = 0; i < devices.size(); i++) {
        if (!answers.get(i).isEmpty()) {
          answeredWithExposures.add(devices.get(i).key());
        }
      }
      return answers;
    }

    @Override
    public void matchStored(Instant simTime) {
      nodes.matchStored(simTime);
    }

    @Override
    public long trafficBytes(String country) {
      return nodes.trafficBytes(country);
    }

    @Override
    public List<DiagnosisKeyBatch> published() {
      return nodes.published();
    }

    @Override
    public void close() {
      for (String country : spec.countries()) {
        Store store = nodes.store(country);
        exposedDevices += count(store, "SELECT COUNT(DISTINCT device) FROM operator_exposure");
        notifiedDevices +=
            count(store, "SELECT COUNT(DISTINCT device) FROM operator_exposure WHERE notified = 1");
        observations += count(store, "SELECT COUNT(*) FROM operator_observation");
      }
      nodes.close();
    }

    /** A count over the node's SQLite file, read on a connection of the test's own. */
    private static long count(Store store, String sql) {
      Path file = ((SqliteStore) store).file();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
