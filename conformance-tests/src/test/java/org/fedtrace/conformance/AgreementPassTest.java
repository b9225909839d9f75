package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A later pass of a remote run, in process: our node on one of the kit's other agreements. The
 * cases that need that agreement run here only ({@link InProcessConformanceTest}'s node runs the
 * kit's own), and every other case is skipped with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgreementPassTest {
  private final Need need;
  private final String agreement;
  private final Function<Path, InProcessTarget> start;
  private final Predicate<Session> runsIt;
  private final CatalogueRunner runner = new CatalogueRunner();
  private InProcessTarget target;
  private Session session;

  /**
   * @param need what the pass's cases need
   * @param agreement the agreement's name in the kit and in skip reasons ("past-sunset")
   * @param start starts our node on that agreement in a folder
   * @param runsIt whether a session's node runs that agreement
   */
  AgreementPassTest(
      Need need,
      String agreement,
      Function<Path, InProcessTarget> start,
      Predicate<Session> runsIt) {
    this.need = need;
    this.agreement = agreement;
    this.start = start;
    this.runsIt = runsIt;
  }

  @BeforeAll
  void startNode(@TempDir Path root) {
    target = start.apply(root);
    session = new Session(target);
  }

  @AfterAll
  void stopNode() {
    session.close();
    target.close();
  }

  private List<CaseInfo> cases() {
    return Catalogue.cases().stream().filter(c -> c.needs().contains(need)).toList();
  }

  @TestFactory
  Stream<DynamicTest> casesOfThePass() {
    assertTrue(runsIt.test(session), "the node must run the " + agreement + " agreement");
    assertFalse(cases().isEmpty(), "no case needs the " + agreement + " agreement");
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
        "the node runs the kit's " + agreement + " agreement: only the " + agreement + " cases run",
        r.detail());
  }
}
