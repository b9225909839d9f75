package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process runner: the whole catalogue against our node, started over mutual TLS on loopback,
 * one dynamic test per case. Cases listed in {@link KnownDeviations} must fail. The node runs in
 * operator-assisted mode and so lists every optional feature; R6.17, which needs a feature the node
 * lacks, runs in {@link DeviceModeConformanceTest}. No case may be skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InProcessConformanceTest {
  private InProcessTarget target;
  private Session session;
  private final CatalogueRunner runner = new CatalogueRunner();

  @BeforeAll
  void startNode(@TempDir Path root) {
    target = InProcessTarget.start(root, Set.of());
    session = new Session(target);
  }

  @AfterAll
  void stopNode() {
    session.close();
    target.close();
  }

  @TestFactory
  Stream<DynamicTest> catalogue() {
    return Catalogue.cases().stream()
        .filter(c -> !DeviceModeConformanceTest.CASES_RUN_THERE_ONLY.contains(c.name()))
        // the cases of the past-sunset agreement run in PastSunsetConformanceTest
        .filter(c -> !c.needs().contains(Need.PAST_SUNSET))
        // the cases of the regional agreement run in RegionalNodeConformanceTest
        .filter(c -> !c.needs().contains(Need.REGIONAL_NODE))
        // -Dconformance.only=REGEX runs only the cases whose name matches, while fixing one
        .filter(c -> c.name().matches(System.getProperty("conformance.only", ".*")))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(runner.run(session, c))));
  }

  private static void check(Result r) {
    String deviation = KnownDeviations.CASES.get(r.info().name());
    if (deviation != null) {
      if (r.outcome() != Result.Outcome.FAILED) {
        fail(
            r.info().name()
                + " is listed as a known deviation ("
                + deviation
                + ") but "
                + r.outcome()
                + ": the node was fixed; remove it from KnownDeviations");
      }
      return;
    }
    switch (r.outcome()) {
      case PASSED:
        return;
      case SKIPPED:
        // our node offers every feature and the runner everything a case needs: nothing skips
        throw new AssertionError(r.info().name() + " was skipped: " + r.detail());
      default:
        AssertionError e = new AssertionError(r.info().rule() + ": " + r.detail(), r.failure());
        throw e;
    }
  }

  /** The catalogue is not empty and every case name is unique. */
  @org.junit.jupiter.api.Test
  void casesAreUniquelyNamed() {
    List<String> names = new ArrayList<>();
    Catalogue.cases().forEach(c -> names.add(c.name()));
    assertFalse(names.isEmpty(), "an empty catalogue checks nothing");
    assertEquals(Set.copyOf(names).size(), names.size());
  }
}
