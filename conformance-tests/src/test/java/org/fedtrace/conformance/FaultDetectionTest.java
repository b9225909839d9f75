package org.fedtrace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fedtrace.testing.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite catches broken nodes: against our node with one deliberate defect ({@link Fault}), the
 * named cases that check the broken rule fail, while against the correct node they pass ({@link
 * InProcessConformanceTest} runs the whole catalogue there). Each faulty node runs the catalogue
 * without its {@link Slow} cases, and without the controlled-node cases unless the defect needs
 * them (only a moved clock shows a node ignoring its sunset: then those of R21.6 and R13.31).
 */
class FaultDetectionTest {
  /** For each defect, the cases that must fail against a node that has it. */
  static final Map<Fault, Set<String>> CAUGHT_BY = new EnumMap<>(Fault.class);

  /** The rules whose controlled-node cases run against a node ignoring its sunset. */
  private static final Set<String> SUNSET_RULES = Set.of("R21.6", "R13.31");

  static {
    CAUGHT_BY.put(
        Fault.ACCEPT_BAD_SIGNATURE,
        Set.of(
            "R8_20_refusesEveryTamperedSignature",
            "R5_3_refusesNonCanonicalSignature",
            "R13_4_logsRefusalBeforeAnswering"));
    CAUGHT_BY.put(Fault.SKIP_ORIGIN_CHECK, Set.of("R8_19_rejectsOriginNotSignerCountry"));
    CAUGHT_BY.put(Fault.ACCEPT_REPLAY, Set.of("R8_23_refusesReusedSequence"));
    CAUGHT_BY.put(
        Fault.IGNORE_RETENTION,
        Set.of("R4_4_refusesKeyPastRetention", "R8_8_refusesCreatedBeforeRetentionWindow"));
    CAUGHT_BY.put(
        Fault.IGNORE_SUNSET,
        Set.of("R21_6_refusesExchangePastSunset", "R13_31_answersLogPastSunset"));
    CAUGHT_BY.put(
        Fault.STORE_DUPLICATE,
        Set.of(
            "R8_21_answersDuplicateForIdenticalRetry",
            "R13_1_appendsOneEntryPerStoredBatch",
            "R13_29_answersDuplicateWithFirstReceipt"));
    CAUGHT_BY.put(
        Fault.ACCEPT_NO_CLIENT_CERTIFICATE, Set.of("R6_2_refusesClientWithoutCertificate"));
    CAUGHT_BY.put(
        Fault.LEAK_DOMESTIC_KEYS,
        Set.of("R25_1_keepsAnUploadWithoutConsentDomestic", "R25_4_putsNoDomesticOnlyKeyInABatch"));
  }

  @Test
  void everyFaultHasNamedCatchingCasesThatExist() {
    assertEquals(Set.of(Fault.values()), CAUGHT_BY.keySet());
    Set<String> names = Catalogue.cases().stream().map(CaseInfo::name).collect(Collectors.toSet());
    for (Set<String> cases : CAUGHT_BY.values()) {
      assertTrue(names.containsAll(cases), "unknown case in " + cases);
      for (String c : cases) {
        assertTrue(
            !KnownDeviations.CASES.containsKey(c),
            c + " must pass against the correct node to show anything");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Fault.class)
  void suiteFailsAgainstFaultyNode(Fault fault, @TempDir Path root) throws Exception {
    boolean controlled = fault == Fault.IGNORE_SUNSET;
    List<Result> results;
    try (InProcessTarget target = InProcessTarget.start(root, Set.of(fault));
        Session session = new Session(target)) {
      results =
          new CatalogueRunner()
              .run(
                  session,
                  c ->
                      !c.slow()
                          && (!c.needs().contains(Need.CONTROLLED_NODE)
                              || controlled && SUNSET_RULES.contains(c.rule())),
                  r -> {});
    }
    Set<String> failed =
        results.stream()
            .filter(r -> r.outcome() == Result.Outcome.FAILED)
            .map(r -> r.info().name())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missed = new TreeSet<>(CAUGHT_BY.get(fault));
    missed.removeAll(failed);
    assertTrue(
        missed.isEmpty(),
        "against a node with " + fault + " these cases passed: " + missed + "; failed: " + failed);
  }
}
