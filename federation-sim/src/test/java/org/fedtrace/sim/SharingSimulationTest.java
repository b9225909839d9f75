package org.fedtrace.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.federation.Federation;
import org.fedtrace.sim.federation.NodeFederation;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.report.Sharing;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consent at upload in the simulator (issue 14 item 6) through real nodes: half the uploaders
 * decline to federate and consenting travellers are flagged. What every node received is watched at
 * the federation's interface, as a peer sees it.
 */
class SharingSimulationTest {
  private static final String SETTINGS =
      "federation: {padding_min_keys: 64, batch_max_age_minutes: 120}\n"
          + "baselines: {counterfactuals: false}\n"
          + "privacy: {decline_federation_share: 0.5}\n";

  private static final Map<Federation.Consent, Set<ByteString>> uploaded = new HashMap<>();
  private static final List<DiagnosisKeyBatch> received = new ArrayList<>();
  private static Report first;
  private static Report again;

  private static Scenario scenario() throws Exception {
    return ScenarioLoader.parse(SmallScenarios.yaml(13, 6000, 8) + SETTINGS, "sharing.yaml");
  }

  private static Report run(boolean watch) throws Exception {
    Outcome o =
        new Simulator(
                scenario(),
                (spec, clock) -> {
                  NodeFederation f = new NodeFederation(spec, clock);
                  return watch ? watched(f) : f;
                },
                new EngineMatcher(),
                p -> {},
                2)
            .run();
    return Measurement.measure(o, "sharing.yaml");
  }

  /** {@code f}, noting each upload's keys by consent and every batch a node received. */
  private static Federation watched(NodeFederation f) {
    return (Federation)
        Proxy.newProxyInstance(
            Federation.class.getClassLoader(),
            new Class<?>[] {Federation.class},
            (proxy, method, args) -> {
              Object out;
              try {
                out = method.invoke(f, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("upload") && args.length == 5) {
                Set<ByteString> keys =
                    uploaded.computeIfAbsent((Federation.Consent) args[4], c -> new HashSet<>());
                for (Object k : (List<?>) args[1]) {
                  keys.add(((DiagnosisKey) k).getKeyData());
                }
              } else if (method.getName().equals("receivedSince")) {
                received.addAll(((Federation.Received) out).batches());
              }
              return out;
            });
  }

  @BeforeAll
  static void runTwice() throws Exception {
    first = run(true);
    again = run(false);
  }

  @Test
  void aDeclinedUploadsKeysAreInNoBatchAnyNodeReceivedButNotifyAtHome() {
    Set<ByteString> declined = uploaded.get(Federation.Consent.DOMESTIC_ONLY);
    assertFalse(declined == null || declined.isEmpty(), "nobody declined");
    assertFalse(received.isEmpty());
    for (DiagnosisKeyBatch b : received) {
      for (DiagnosisKey k : b.getKeysList()) {
        assertFalse(declined.contains(k.getKeyData()), "a declined key in a batch of " + b);
      }
    }
    Sharing s = first.sharing();
    assertEquals(declined.size(), s.domesticKeys());
    assertEquals(0, s.domesticKeysInBatches());
    assertTrue(s.declinedNotifiedDomestic() > 0, "declined uploads notified nobody at home");
    assertEquals(0, s.declinedNotifiedCrossBorder(), "a declined upload notified abroad");
    assertTrue(s.notifiedCrossBorder() > 0, "the federating uploads notified across borders");
    assertTrue(s.crossBorderLost() > 0);
  }

  @Test
  void travellersKeysLandInTravellerBatchesAndOthersNot() {
    Set<ByteString> travellers = uploaded.get(Federation.Consent.TRAVELLER);
    Set<ByteString> federate = uploaded.get(Federation.Consent.FEDERATE);
    assertFalse(travellers == null || travellers.isEmpty(), "no traveller uploaded");
    assertFalse(federate == null || federate.isEmpty(), "no non-traveller federated");
    long inTravellerBatches = 0;
    for (DiagnosisKeyBatch b : received) {
      boolean travellerBatch = b.getScope() == BatchScope.BATCH_SCOPE_TRAVELLER;
      for (DiagnosisKey k : b.getKeysList()) {
        if (travellers.contains(k.getKeyData())) {
          assertTrue(travellerBatch, "a traveller's key in a FEDERATE batch");
          inTravellerBatches++;
        }
        if (federate.contains(k.getKeyData())) {
          assertFalse(travellerBatch, "a non-traveller's key in a TRAVELLER batch");
        }
      }
    }
    assertTrue(inTravellerBatches > 0, "no traveller key reached a node");
    Sharing s = first.sharing();
    assertTrue(s.travellersOnlyBytesPerNodePerDay() > 0);
    assertTrue(s.travellersOnlyBytesPerNodePerDay() < s.batchBytesPerNodePerDay());
    assertEquals(
        1 - s.travellersOnlyBytesPerNodePerDay() / s.batchBytesPerNodePerDay(),
        s.filterSavedShare(),
        1e-12);
  }

  @Test
  void theFiguresRepeatForTheSeed() {
    assertEquals(first.sharing(), again.sharing());
    assertEquals(first.main().accuracy(), again.main().accuracy());
    assertEquals(
        first.main().privacy().tekLinkageAdvantage(), first.sharing().linkageAdvantage(), 0);
  }
}
