package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second pass of a remote run (spec/conformance.md §6.3), in process: our node on the kit's
 * past-sunset agreement. The cases that need it run here only ({@link InProcessConformanceTest}'s
 * node runs the active agreement), and every other case is skipped, with the reason, since the node
 * no longer exchanges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PastSunsetConformanceTest {
  private InProcessTarget target;
  private Session session;
  private final CatalogueRunner runner = new CatalogueRunner();

  @BeforeAll
  void startNode(@TempDir Path root) {
    target = InProcessTarget.startPastSunset(root, Set.of());
    session = new Session(target);
  }

  @AfterAll
  void stopNode() {
    session.close();
    target.close();
  }

  /** The cases of the second pass. */
  static List<CaseInfo> cases() {
    return Catalogue.cases().stream().filter(c -> c.needs().contains(Need.PAST_SUNSET)).toList();
  }

  @TestFactory
  Stream<DynamicTest> pastSunsetCases() {
    assertTrue(session.runsPastSunsetAgreement(), "the node must run the past-sunset agreement");
    assertFalse(cases().isEmpty(), "no case needs the past-sunset agreement");
    return cases().stream()
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

  @Test
  void otherCasesSkipWithTheReason() {
    CaseInfo core =
        Catalogue.cases().stream()
            .filter(c -> c.name().equals("R8_19_rejectsOriginNotSignerCountry"))
            .findFirst()
            .orElseThrow();
    Result r = runner.run(session, core);
    assertEquals(Result.Outcome.SKIPPED, r.outcome());
    assertEquals(
        "the node runs the kit's past-sunset agreement: only the past-sunset cases run",
        r.detail());
  }
}
