package org.fedtrace.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fedtrace.sim.federation.Topology;
import org.fedtrace.sim.scenario.Scenario.Country;
import org.fedtrace.sim.scenario.Scenario.TravelPair;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static final Scenario DEFAULT = ScenarioLoader.builtInDefault();

  private static String error(Overrides o, Scenario s) {
    return assertThrows(IllegalArgumentException.class, () -> o.applyTo(s)).getMessage();
  }

  @Test
  void noOverridesChangeNothing() {
    assertEquals(DEFAULT, Overrides.NONE.applyTo(DEFAULT));
  }

  @Test
  void scalarsReplaceTheScenarios() {
    Scenario s =
        new Overrides(7L, 5000, 3, null, Topology.CHAIN, MatchingMode.OPERATOR).applyTo(DEFAULT);

    assertEquals(7, s.seed());
    assertEquals(5000, s.agents());
    assertEquals(3, s.days());
    assertEquals(Topology.CHAIN, s.federation().topology());
    assertEquals(MatchingMode.OPERATOR, s.matching().mode());
    assertEquals(DEFAULT.matching().devicePollHours(), s.matching().devicePollHours());
  }

  @Test
  void countriesKeepTheirParametersNewOnesGetTheDefaultsAndPairsFollow() {
    Scenario s =
        new Overrides(null, null, null, List.of("LU", "PT", "FR"), null, null).applyTo(DEFAULT);

    assertEquals(List.of("LU", "PT", "FR"), s.countryCodes());
    assertEquals(DEFAULT.countries().get(2), s.countries().get(0));
    assertEquals(new Country("PT", 1_000_000, 0.5, -1), s.countries().get(1));
    assertEquals(List.of(new TravelPair("FR", "LU", 0.05, 0.002, false)), s.travel().pairs());
  }

  @Test
  void aHundredCountries() {
    List<String> codes =
        List.of(java.util.Locale.getISOCountries()).stream().sorted().limit(100).toList();

    Scenario s = new Overrides(null, null, null, codes, null, null).applyTo(DEFAULT);

    assertEquals(100, s.countries().size());
  }

  @Test
  void invalidOverridesNameTheOption() {
    assertEquals(
        "--agents must be in 1..20000000, got 0",
        error(new Overrides(null, 0, null, null, null, null), DEFAULT));
    assertEquals(
        "--days must be in 1..365, got 400",
        error(new Overrides(null, null, 400, null, null, null), DEFAULT));
    assertEquals(
        "--agents 100 is fewer than the scenario's epidemic.initial_infections (600)",
        error(new Overrides(null, 100, null, null, null, null), DEFAULT));
    assertEquals(
        "--countries: 'XX' is not an ISO 3166-1 alpha-2 code in upper case",
        error(new Overrides(null, null, null, List.of("BE", "XX"), null, null), DEFAULT));
    assertEquals(
        "--countries lists BE twice",
        error(new Overrides(null, null, null, List.of("BE", "NL", "BE"), null, null), DEFAULT));
  }

  @Test
  void theHubMustStay() throws ScenarioException {
    Scenario hub = ScenarioLoader.parse("federation: {topology: hub, hub: LU}\n", "hub.yaml");

    assertEquals(
        "--countries leaves out the scenario's federation.hub LU",
        error(new Overrides(null, null, null, List.of("BE", "NL"), null, null), hub));
  }
}
