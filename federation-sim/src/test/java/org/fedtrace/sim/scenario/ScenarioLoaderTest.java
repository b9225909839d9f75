package org.fedtrace.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fedtrace.sim.federation.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  private static final Path SCENARIOS = Path.of("scenarios");

  private static Scenario parse(String yaml) throws ScenarioException {
    return ScenarioLoader.parse(yaml, "t.yaml");
  }

  private static String error(String yaml) {
    return assertThrows(ScenarioException.class, () -> parse(yaml)).getMessage();
  }

  static Stream<Path> exampleScenarios() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void theBuiltInDefaultIsTheDocumentedExampleFile() throws IOException {
    String file = Files.readString(SCENARIOS.resolve("default.yaml"), StandardCharsets.UTF_8);

    assertEquals(file, ScenarioLoader.defaultText());
  }

  @Test
  void theBuiltInDefault() {
    Scenario s = ScenarioLoader.builtInDefault();

    assertEquals(100_000, s.agents());
    assertEquals(14, s.days());
    assertEquals(List.of("BE", "NL", "LU", "DE", "FR", "CH"), s.countryCodes());
    assertEquals(Topology.MESH, s.federation().topology());
    assertEquals(MatchingMode.DEVICE, s.matching().mode());
    assertEquals(TokenScheme.FEDERATED, s.tokenScheme());
    assertEquals("BE", s.hubCountry());
  }

  @ParameterizedTest
  @MethodSource("exampleScenarios")
  void everyExampleLoadsAndWritesBackToTheSameScenario(Path file) throws Exception {
    Scenario s = ScenarioLoader.load(file);

    assertEquals(s, parse(ScenarioWriter.write(s)));
  }

  @Test
  void missingFieldsKeepTheDefaults() throws ScenarioException {
    Scenario s = parse("days: 3\ncontacts: {rate_per_day: 5}\n");

    Scenario d = ScenarioLoader.builtInDefault();
    assertEquals(3, s.days());
    assertEquals(5, s.contacts().ratePerDay());
    assertEquals(d.contacts().visitsPerDay(), s.contacts().visitsPerDay());
    assertEquals(d.travel(), s.travel());
    assertEquals(d.countries(), s.countries());
  }

  @Test
  void ownCountriesStartWithoutTheDefaultsTravelPairsAndHub() throws ScenarioException {
    Scenario s = parse("countries: [{code: PT, population: 1, app_adoption: 0.5}]\n");

    assertEquals(List.of(), s.travel().pairs());
    assertNull(s.federation().hub());
    assertEquals("PT", s.hubCountry());
    assertEquals(-1, s.countries().get(0).initialInfections());
  }

  @Test
  void anEmptyFileIsTheDefault() throws ScenarioException {
    assertEquals(ScenarioLoader.builtInDefault(), parse(""));
  }

  @ParameterizedTest
  @MethodSource("hundredCountries")
  void theHundredCountryScenariosAreTheHundredCountryCommandWithTheShortcuts(
      String file, Topology topology) throws Exception {
    Scenario s = ScenarioLoader.load(SCENARIOS.resolve(file));
    List<String> codes = s.countryCodes();
    Scenario command =
        new Overrides(null, null, null, codes, topology, null)
            .applyTo(ScenarioLoader.builtInDefault());

    assertEquals(100, codes.size());
    assertEquals(List.of("AD", "AE", "AF"), codes.subList(0, 3));
    assertEquals(command.countries(), s.countries());
    assertEquals(command.travel(), s.travel());
    assertEquals(command.agents(), s.agents());
    assertEquals(command.epidemic(), s.epidemic());
    assertEquals(topology, s.federation().topology());
    assertEquals(command.hubCountry(), s.hubCountry());
    assertEquals(DeviceSource.BATCHES, s.matching().deviceSource());
    assertFalse(s.matching().writeExports());
    assertTrue(s.matching().phonesSkipPadding());
    assertTrue(ScenarioLoader.builtInDefault().matching().writeExports());
    assertFalse(ScenarioLoader.builtInDefault().matching().phonesSkipPadding());
  }

  static Stream<Arguments> hundredCountries() {
    return Stream.of(
        arguments("100-hub.yaml", Topology.HUB), arguments("100-mesh.yaml", Topology.MESH));
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        arguments(
            "matching: {write_exports: false}",
            "matching.write_exports: false needs device_source: batches (phones read no exports)"),
        arguments(
            "matching: {phones_skip_padding: 1}",
            "matching.phones_skip_padding: must be true or false, got 1"),
        arguments("contacts: {rate: 3}", "contacts.rate: unknown field"),
        arguments("colour: blue", "colour: unknown field"),
        arguments("agents: 0", "agents: must be in 1..20000000, got 0"),
        arguments("agents: 2.5", "agents: must be a whole number, got 2.5"),
        arguments("days: many", "days: must be a whole number, got \"many\""),
        arguments(
            "start_date: 2021-02-30", "start_date: must be a date YYYY-MM-DD, got '2021-02-30'"),
        arguments("token_scheme: gsma", "token_scheme: must be federated or central, got 'gsma'"),
        arguments(
            "federation: {topology: ring}",
            "federation.topology: must be mesh, hub or chain, got 'ring'"),
        arguments(
            "federation: {hub: PT}", "federation.hub: PT is not one of the scenario's countries"),
        arguments(
            "federation: {padding_min_keys: 2000}",
            "federation.padding_min_keys: must not exceed batch_max_keys (1000)"),
        arguments(
            "matching: {mode: cloud}", "matching.mode: must be device or operator, got 'cloud'"),
        arguments(
            "contacts: {duration_minutes: {mean: 90, sd: 1}}",
            "contacts.duration_minutes.mean: must be in 1..60, got 90"),
        arguments(
            "epidemic: {report_share: 1.5}", "epidemic.report_share: must be in 0..1, got 1.5"),
        arguments(
            "epidemic: {isolate_after_diagnosis: 1}",
            "epidemic.isolate_after_diagnosis: must be true or false, got 1"),
        arguments(
            "behaviour: {quarantine_compliance: 1.5}",
            "behaviour.quarantine_compliance: must be in 0..1, got 1.5"),
        arguments(
            "behaviour: {household_contact_minutes: 90}",
            "behaviour.household_contact_minutes: must be in 1..60, got 90"),
        arguments(
            "behaviour: {test_notified_delay_hours: {mean: 1, median: 2}}",
            "behaviour.test_notified_delay_hours.median: unknown field"),
        arguments(
            "baselines: {camera_false_match_rate: -0.1}",
            "baselines.camera_false_match_rate: must be in 0..1, got -0.1"),
        arguments("baselines: {cameras: 3}", "baselines.cameras: unknown field"),
        arguments("contacts: 3", "contacts: must be a mapping"),
        arguments("countries: []", "countries: must have 1..250 entries, got 0"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void invalidValuesNameTheirField(String yaml, String message) {
    assertEquals("t.yaml: " + message, error(yaml));
  }

  @Test
  void listEntriesAreNamedByIndex() {
    String yaml =
        "countries:\n"
            + "  - {code: BE, population: 1, app_adoption: 0.5}\n"
            + "  - {code: NL, population: 1, app_adoption: 1.5}\n";

    assertEquals("t.yaml: countries[1].app_adoption: must be in 0..1, got 1.5", error(yaml));
  }

  @Test
  void norwayMustBeQuoted() {
    String yaml = "countries: [{code: NO, population: 1, app_adoption: 0.5}]\n";

    assertEquals(
        "t.yaml: countries[0].code: must be a string; YAML reads unquoted yes, no, on, off, true,"
            + " false as booleans, so quote it (\"NO\")",
        error(yaml));
  }

  @Test
  void quotedNorwayIsFine() throws ScenarioException {
    Scenario s = parse("countries: [{code: \"NO\", population: 1, app_adoption: 0.5}]\n");

    assertEquals(List.of("NO"), s.countryCodes());
  }

  @Test
  void countriesAreCheckedCodes() {
    assertEquals(
        "t.yaml: countries[0].code: must be an ISO 3166-1 alpha-2 code in upper case, got 'be'",
        error("countries: [{code: be, population: 1, app_adoption: 0.5}]\n"));
    assertEquals(
        "t.yaml: countries[1].code: country BE is listed twice",
        error(
            "countries: [{code: BE, population: 1, app_adoption: 0.5},"
                + " {code: BE, population: 2, app_adoption: 0.5}]\n"));
  }

  @Test
  void travelPairsMustJoinTwoMembers() {
    String pt =
        "countries: [{code: BE, population: 1, app_adoption: 0.5},"
            + " {code: NL, population: 1, app_adoption: 0.5}]\n";

    assertEquals(
        "t.yaml: travel.pairs[0].to: PT is not one of the scenario's countries",
        error(
            pt + "travel: {pairs: [{from: BE, to: PT, commuter_share: 0, trip_rate_per_day: 0}]}"));
    assertEquals(
        "t.yaml: travel.pairs[0].to: must differ from 'from' (BE)",
        error(
            pt + "travel: {pairs: [{from: BE, to: BE, commuter_share: 0, trip_rate_per_day: 0}]}"));
    assertEquals(
        "t.yaml: travel.pairs: the commuter shares of NL add up to 1.2, more than 1",
        error(
            pt
                + "travel: {pairs: [{from: BE, to: NL, commuter_share: 0.6, trip_rate_per_day: 0,"
                + " both_ways: true}, {from: NL, to: BE, commuter_share: 0.6,"
                + " trip_rate_per_day: 0}]}"));
  }

  @Test
  void initialInfectionsCannotExceedThePopulation() {
    assertEquals(
        "t.yaml: epidemic.initial_infections: must not exceed agents (100), got 600",
        error("agents: 100\n"));
  }

  @Test
  void attenuationWeightsAscend() {
    assertEquals(
        "t.yaml: epidemic.attenuation_weights[1].max_db: must be above the previous step's 60",
        error(
            "epidemic: {attenuation_weights: [{max_db: 60, weight: 1}, {max_db: 50, weight: 1}]}"));
  }

  @Test
  void notYaml() {
    assertTrue(error("seed: [1, 2\n").startsWith("t.yaml: not valid YAML: "));
  }

  @Test
  void missingFile(@TempDir Path dir) {
    Path file = dir.resolve("nope.yaml");

    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file));
    assertEquals(file + ": no such scenario file", e.getMessage());
  }
}
