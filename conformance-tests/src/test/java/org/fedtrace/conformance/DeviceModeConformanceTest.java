package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases about an optional feature the node does not offer, against our node in device mode (the
 * default). {@link InProcessConformanceTest} runs the catalogue against a node in operator-assisted
 * mode, which lists every optional feature, so there R6.17 has nothing to check and the
 * UNIMPLEMENTED row of R20.1 nothing to provoke.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceModeConformanceTest {
  /** Cases that check nothing against a node offering every feature; they run only here. */
  static final List<String> CASES_RUN_THERE_ONLY =
      List.of("R6_17_answersUnimplementedForUnlistedFeatures");

  /** The cases whose outcome depends on a feature the node lacks. */
  private static final List<String> CASES =
      List.of("R6_17_answersUnimplementedForUnlistedFeatures", "R20_1_answersEachCodeOfTheTable");

  private InProcessTarget target;
  private Session session;
  private final CatalogueRunner runner = new CatalogueRunner();

  @BeforeAll
  void startNode(@TempDir Path root) {
    target = InProcessTarget.startDeviceMode(root);
    session = new Session(target);
  }

  @AfterAll
  void stopNode() {
    session.close();
    target.close();
  }

  @TestFactory
  Stream<DynamicTest> casesOfAnUnlistedFeature() {
    assertFalse(session.hasFeature("operator-matching"), "the node must run in device mode");
    List<CaseInfo> cases =
        Catalogue.cases().stream().filter(c -> CASES.contains(c.name())).toList();
    assertEquals(CASES.size(), cases.size(), "a case was renamed: " + CASES);
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      Result r = runner.run(session, c);
                      assertEquals(
                          Result.Outcome.PASSED, r.outcome(), c.name() + ": " + r.detail());
                    }));
  }
}
