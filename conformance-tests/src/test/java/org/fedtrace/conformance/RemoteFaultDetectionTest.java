package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.testing.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The remote runner catches every defect of {@link Fault}: our node runs in a process of its own
 * ({@link NodeProcess}) with one defect, and the suite reaches it only through its port, as {@code
 * fedtrace conformance --target} does ({@link RemoteTarget}, no controlled nodes). The cases that
 * catch each defect fail there, and pass against the correct node started the same way. A node
 * ignoring its sunset is started on the kit's past-sunset agreement, the second pass of a remote
 * run (spec/conformance.md §6.3). Only the catching cases run, to keep the build short.
 */
class RemoteFaultDetectionTest {
  /** For each defect, the cases that must fail in a remote run against a node that has it. */
  static final Map<Fault, Set<String>> CAUGHT_REMOTELY = new EnumMap<>(Fault.class);

  /** The per-identity rate limit our node is configured with (InProcessTarget), as declared. */
  private static final Optional<Double> RATE = Optional.of(200.0);

  static {
    CAUGHT_REMOTELY.putAll(FaultDetectionTest.CAUGHT_BY);
    // a remote runner cannot move the node's clock: the node runs an agreement already ended
    CAUGHT_REMOTELY.put(
        Fault.IGNORE_SUNSET, Set.of("R21_6_refusesExchangeUnderPastSunsetAgreement"));
  }

  private static boolean pastSunset(Fault fault) {
    return fault == Fault.IGNORE_SUNSET;
  }

  @Test
  void everyFaultHasRemoteCasesThatNeedNothingButTheNode() {
    assertEquals(Set.of(Fault.values()), CAUGHT_REMOTELY.keySet());
    Map<String, CaseInfo> byName =
        Catalogue.cases().stream().collect(Collectors.toMap(CaseInfo::name, c -> c));
    for (Map.Entry<Fault, Set<String>> e : CAUGHT_REMOTELY.entrySet()) {
      for (String name : e.getValue()) {
        CaseInfo c = byName.get(name);
        assertTrue(c != null, "unknown case " + name);
        assertTrue(
            !c.needs().contains(Need.CONTROLLED_NODE),
            name + " needs a controlled node: a remote run skips it");
        assertEquals(
            pastSunset(e.getKey()),
            c.needs().contains(Need.PAST_SUNSET),
            name + " must run on the agreement its node is started with");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Fault.class)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void remoteRunCatchesFault(Fault fault, @TempDir Path root) throws Exception {
    Map<String, Result> results =
        runRemotely(root, Set.of(fault), pastSunset(fault), CAUGHT_REMOTELY.get(fault));
    Map<String, String> notFailed = new TreeMap<>();
    results.forEach(
        (name, r) -> {
          if (r.outcome() != Result.Outcome.FAILED) {
            notFailed.put(name, r.outcome() + " " + r.detail());
          }
        });
    assertEquals(CAUGHT_REMOTELY.get(fault).size(), results.size(), "cases run: " + results);
    assertTrue(
        notFailed.isEmpty(),
        "a remote run against a node with " + fault + " did not catch it: " + notFailed);
  }

  @ParameterizedTest(name = "past sunset: {0}")
  @ValueSource(booleans = {false, true})
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sameCasesPassAgainstCorrectNode(boolean pastSunset, @TempDir Path root) throws Exception {
    Set<String> cases = new TreeSet<>();
    CAUGHT_REMOTELY.forEach(
        (fault, names) -> {
          if (pastSunset(fault) == pastSunset) {
            cases.addAll(names);
          }
        });
    Map<String, Result> results = runRemotely(root, Set.of(), pastSunset, cases);
    assertEquals(cases, results.keySet());
    Map<String, String> notPassed = new TreeMap<>();
    results.forEach(
        (name, r) -> {
          if (r.outcome() != Result.Outcome.PASSED) {
            notPassed.put(name, r.outcome() + " " + r.detail());
          }
        });
    assertTrue(notPassed.isEmpty(), "against the correct node: " + notPassed);
  }

  /** Starts a node process and runs the {@code cases} against its port, as the CLI would. */
  private static Map<String, Result> runRemotely(
      Path root, Set<Fault> faults, boolean pastSunset, Set<String> cases) throws Exception {
    try (NodeProcess node = NodeProcess.start(root, faults, pastSunset)) {
      RemoteTarget target =
          RemoteTarget.of("127.0.0.1:" + node.port(), Kit.load(node.kit()), RATE, Optional.empty());
      List<Result> results;
      try (Session session = new Session(target)) {
        assertEquals(pastSunset, session.runsPastSunsetAgreement(), "the node's agreement");
        results = new CatalogueRunner().run(session, c -> cases.contains(c.name()), r -> {});
      }
      return results.stream().collect(Collectors.toMap(r -> r.info().name(), r -> r));
    }
  }
}
