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
 * The regional pass of a remote run (spec/conformance.md §6.4), in process: our node on the kit's
 * regional agreement, which lists a second member of its country (the kit's sibling), so that its
 * origin is DE-op-de. The cases that need it run here only, and every other case is skipped with
 * the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionalNodeConformanceTest {
  private InProcessTarget target;
  private Session session;
  private final CatalogueRunner runner = new CatalogueRunner();

  @BeforeAll
  void startNode(@TempDir Path root) {
    target = InProcessTarget.startRegional(root, Set.of());
    session = new Session(target);
  }

  @AfterAll
  void stopNode() {
    session.close();
    target.close();
  }

  /** The cases of the regional pass. */
  static List<CaseInfo> cases() {
    return Catalogue.cases().stream().filter(c -> c.needs().contains(Need.REGIONAL_NODE)).toList();
  }

  @TestFactory
  Stream<DynamicTest> regionalCases() {
    assertTrue(session.runsRegionalAgreement(), "the node must run the regional agreement");
    assertFalse(cases().isEmpty(), "no case needs the regional agreement");
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
        "the node runs the kit's regional agreement: only the regional cases run", r.detail());
  }
}
