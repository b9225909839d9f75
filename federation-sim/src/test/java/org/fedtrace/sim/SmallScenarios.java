package org.fedtrace.sim;

/** The small three-country scenario the end-to-end tests run, fast enough for the build. */
public final class SmallScenarios {
  private SmallScenarios() {}

  /**
   * The scenario's YAML up to and including its epidemic: BE, NL and LU with commuters and trips; a
   * test appends its own {@code federation:} and {@code matching:} fields.
   */
  public static String yaml(long seed, int agents, int days) {
    return String.join(
        "\n",
        "seed: " + seed,
        "agents: " + agents,
        "days: " + days,
        "countries:",
        "  - {code: BE, population: 1, app_adoption: 0.7}",
        "  - {code: NL, population: 1, app_adoption: 0.7}",
        "  - {code: LU, population: 1, app_adoption: 0.7}",
        "travel:",
        "  pairs:",
        "    - {from: BE, to: NL, commuter_share: 0.2, trip_rate_per_day: 0.01, both_ways: true}",
        "    - {from: LU, to: BE, commuter_share: 0.3, trip_rate_per_day: 0.01}",
        "epidemic:",
        "  initial_infections: 150",
        "  transmission_per_minute: 0.01",
        "  testing_probability: 0.8",
        "  report_share: 0.9",
        "");
  }
}
