package org.fedtrace.sim.scenario;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fedtrace.rules.Countries;
import org.fedtrace.sim.federation.Topology;
import org.fedtrace.sim.scenario.Scenario.Country;
import org.fedtrace.sim.scenario.Scenario.FederationPolicy;
import org.fedtrace.sim.scenario.Scenario.Matching;
import org.fedtrace.sim.scenario.Scenario.Travel;
import org.fedtrace.sim.scenario.Scenario.TravelPair;

/**
 * Command-line settings that replace the scenario's; a null field keeps the scenario's value.
 *
 * @param seed {@code --seed}
 * @param agents {@code --agents}
 * @param days {@code --days}
 * @param countries {@code --countries}: the member countries; listed ones keep their scenario
 *     parameters, others get {@code country_defaults}; travel pairs with a country not in the list
 *     are dropped
 * @param topology {@code --topology}
 * @param matching {@code --matching}
 */
public record Overrides(
    Long seed,
    Integer agents,
    Integer days,
    List<String> countries,
    Topology topology,
    MatchingMode matching) {
  /** No overrides. */
  public static final Overrides NONE = new Overrides(null, null, null, null, null, null);

  /**
   * The scenario with these overrides applied.
   *
   * @throws IllegalArgumentException naming the option, if a value is invalid or does not fit the
   *     scenario
   */
  public Scenario applyTo(Scenario s) {
    int n = agents == null ? s.agents() : agents;
    if (n < 1 || n > ScenarioLoader.MAX_AGENTS) {
      throw new IllegalArgumentException(
          "--agents must be in 1.." + ScenarioLoader.MAX_AGENTS + ", got " + n);
    }
    int d = days == null ? s.days() : days;
    if (d < 1 || d > ScenarioLoader.MAX_DAYS) {
      throw new IllegalArgumentException(
          "--days must be in 1.." + ScenarioLoader.MAX_DAYS + ", got " + d);
    }
    if (s.epidemic().initialInfections() > n) {
      throw new IllegalArgumentException(
          "--agents "
              + n
              + " is fewer than the scenario's epidemic.initial_infections ("
              + s.epidemic().initialInfections()
              + ")");
    }
    List<Country> members = countries == null ? s.countries() : members(s);
    Set<String> codes = members.stream().map(Country::code).collect(Collectors.toSet());
    return new Scenario(
        seed == null ? s.seed() : seed,
        n,
        d,
        s.startDate(),
        members,
        s.countryDefaults(),
        travel(s.travel(), codes),
        s.contacts(),
        s.epidemic(),
        federation(s.federation(), codes),
        matching == null
            ? s.matching()
            : new Matching(
                matching,
                s.matching().devicePollHours(),
                s.matching().notifyMinRiskScore(),
                s.matching().downloadIntervalHours(),
                s.matching().deviceSource(),
                s.matching().writeExports(),
                s.matching().phonesSkipPadding()),
        s.tokenScheme(),
        s.privacy(),
        s.behaviour(),
        s.baselines());
  }

  private List<Country> members(Scenario s) {
    if (countries.isEmpty() || countries.size() > ScenarioLoader.MAX_COUNTRIES) {
      throw new IllegalArgumentException(
          "--countries must list 1.." + ScenarioLoader.MAX_COUNTRIES + " countries");
    }
    Map<String, Country> known =
        s.countries().stream().collect(Collectors.toMap(Country::code, Function.identity()));
    List<Country> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String code : countries) {
      if (!Countries.isCountryCode(code)) {
        throw new IllegalArgumentException(
            "--countries: '" + code + "' is not an ISO 3166-1 alpha-2 code in upper case");
      }
      if (!seen.add(code)) {
        throw new IllegalArgumentException("--countries lists " + code + " twice");
      }
      Country c = known.get(code);
      out.add(
          c != null
              ? c
              : new Country(
                  code, s.countryDefaults().population(), s.countryDefaults().appAdoption(), -1));
    }
    return out;
  }

  private static Travel travel(Travel t, Set<String> codes) {
    List<TravelPair> pairs =
        t.pairs().stream().filter(p -> codes.contains(p.from()) && codes.contains(p.to())).toList();
    return new Travel(pairs, t.backgroundTripRatePerDay(), t.tripDays());
  }

  private FederationPolicy federation(FederationPolicy f, Set<String> codes) {
    if (f.hub() != null && !codes.contains(f.hub())) {
      throw new IllegalArgumentException(
          "--countries leaves out the scenario's federation.hub " + f.hub());
    }
    return new FederationPolicy(
        topology == null ? f.topology() : topology,
        f.hub(),
        f.batchMaxKeys(),
        f.batchMaxAgeMinutes(),
        f.batchMinUploads(),
        f.batchMaxHoldHours(),
        f.paddingMinKeys(),
        f.retentionDays());
  }
}
