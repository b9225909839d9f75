package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.fedtrace.sim.federation.Federation;
import org.fedtrace.sim.federation.NodeFederation;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoy uploads and coarse metadata (issue 15 item 3) through real nodes: the small scenario with
 * the defaults (decoy_uploads 3, coarse metadata), without decoys, and without coarsening. Nobody
 * reacts differently in the three, since neither changes who is notified when.
 */
class DecoySimulationTest {
  private static final String FEDERATION =
      "federation: {padding_min_keys: 64, batch_max_age_minutes: 120}\n"
          + "baselines: {counterfactuals: false}\n";

  private static Report defaults;
  private static long nodesDecoys;
  private static Report noDecoys;
  private static Report fineMetadata;

  private static Scenario scenario(String privacy) throws Exception {
    return ScenarioLoader.parse(
        SmallScenarios.yaml(11, 6000, 8) + FEDERATION + privacy, "decoys.yaml");
  }

  /** Runs {@code s}, adding the decoy uploads the nodes counted to {@code decoys}. */
  private static Report run(Scenario s, AtomicLong decoys) {
    Outcome o =
        new Simulator(
                s,
                (spec, clock) ->
                    counting(new NodeFederation(spec, clock), spec.countries(), decoys),
                new EngineMatcher(),
                p -> {},
                2)
            .run();
    return Measurement.measure(o, "decoys.yaml");
  }

  /** {@code f}, which adds its nodes' decoy counters to {@code decoys} just before it closes. */
  private static Federation counting(
      NodeFederation f, java.util.List<String> countries, AtomicLong decoys) {
    return (Federation)
        Proxy.newProxyInstance(
            Federation.class.getClassLoader(),
            new Class<?>[] {Federation.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                countries.forEach(c -> decoys.addAndGet(f.decoyUploads(c)));
              }
              try {
                return method.invoke(f, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @BeforeAll
  static void runThreeWays() throws Exception {
    AtomicLong decoys = new AtomicLong();
    defaults = run(scenario(""), decoys);
    nodesDecoys = decoys.get();
    noDecoys = run(scenario("privacy: {decoy_uploads: 1}\n"), new AtomicLong());
    fineMetadata = run(scenario("privacy: {coarsen_metadata: false}\n"), new AtomicLong());
  }

  @Test
  void everyBatchLeavesWithThreeUploadsAtLeastAndTheNodesCountedTheDecoys() {
    Report.Privacy p = defaults.main().privacy();
    assertTrue(p.decoyUploads() > 0, "the small scenario has batches of fewer than 3 uploads");
    assertEquals(nodesDecoys, p.decoyUploads(), "the report's decoys are those the nodes added");
    assertTrue(p.uploaderAnonymitySetMin() >= 3, "anonymity set " + p.uploaderAnonymitySetMin());
    assertEquals(1, p.uploaderPeopleMin(), "a lone uploader is still one person");
  }

  @Test
  void decoysNotifyNobodyAndChangeNeitherWhoIsNotifiedNorWhen() {
    assertEquals(0, defaults.truth().falseMatchesOnPadding(), "no decoy or padding key matched");
    assertEquals(noDecoys.main().accuracy(), defaults.main().accuracy());
    assertEquals(noDecoys.main().latency(), defaults.main().latency());
    Report.Privacy without = noDecoys.main().privacy();
    assertEquals(0, without.decoyUploads());
    assertEquals(without.uploaderPeopleMin(), without.uploaderAnonymitySetMin());
    assertEquals(1, without.uploaderAnonymitySetMin());
  }

  @Test
  void coarseMetadataKeepsEveryNotificationAndLowersLinkage() {
    assertEquals(fineMetadata.main().accuracy(), defaults.main().accuracy());
    assertEquals(fineMetadata.main().latency(), defaults.main().latency());
    double coarse = defaults.main().privacy().tekLinkageAdvantage();
    double fine = fineMetadata.main().privacy().tekLinkageAdvantage();
    assertTrue(coarse < fine, "linkage " + coarse + " with coarse metadata, " + fine + " without");
  }
}
