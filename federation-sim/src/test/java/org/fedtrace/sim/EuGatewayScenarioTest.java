package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.federation.NodeFederation;
import org.fedtrace.sim.federation.Topology;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.Overrides;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

/** {@code scenarios/eu-gateway.yaml}: the EU gateway's operation, and a small run of it. */
class EuGatewayScenarioTest {
  private static final Path FILE = Path.of("scenarios", "eu-gateway.yaml");

  @Test
  void theFileDescribesTheGatewaysOperation() throws Exception {
    Scenario s = ScenarioLoader.load(FILE);

    assertEquals(30, s.countryCodes().size());
    assertEquals(Topology.HUB, s.federation().topology());
    assertEquals("LU", s.hubCountry());
    assertEquals(5, s.federation().batchMaxAgeMinutes());
    assertEquals(1, s.federation().batchMinUploads());
    assertEquals(64, s.federation().paddingMinKeys());
    assertEquals(1, s.privacy().decoyUploads());
    assertFalse(s.privacy().coarsenMetadata());
    assertTrue(s.countryCodes().contains("NO"), "Norway, quoted so that YAML keeps it a string");
  }

  /** 30 real nodes through the gateway hub, on 5,000 people for a week. */
  @Test
  void aSmallVariantRunsThroughTheHub() throws Exception {
    Scenario s = new Overrides(null, 5_000, 7, null, null, null).applyTo(ScenarioLoader.load(FILE));
    Outcome o = new Simulator(s, NodeFederation::new, new EngineMatcher(), p -> {}, 2).run();
    Report r = Measurement.measure(o, FILE.toString());

    assertEquals("hub", r.run().topology());
    assertTrue(r.truth().uploaders() > 0, "somebody uploaded within the week");
    assertFalse(o.published().isEmpty());
    for (DiagnosisKeyBatch b : o.published()) {
      assertTrue(b.getKeysCount() >= 64, "padded to the nodes' minimum");
    }
    assertEquals(0, r.main().privacy().decoyUploads(), "the gateway's operation has no decoys");
  }
}
