package org.fedtrace.sim.scenario;

import java.time.LocalDate;
import java.util.List;
import org.fedtrace.sim.federation.Topology;

/**
 * One simulation scenario: population, travel, contacts, epidemic, federation and measurement
 * settings. Immutable and validated by {@link ScenarioLoader}; every field is documented in
 * federation-sim/README.md under the YAML name given here in brackets.
 *
 * @param seed [seed] seed of every random choice of the run
 * @param agents [agents] number of simulated people
 * @param days [days] simulated days
 * @param startDate [start_date] calendar date of day 0 (UTC)
 * @param countries [countries] the member countries, one node each
 * @param countryDefaults [country_defaults] parameters of countries added by {@code --countries}
 * @param travel [travel] cross-border commuting and trips
 * @param contacts [contacts] places, visits and contacts
 * @param epidemic [epidemic] transmission, disease course, testing and reporting
 * @param federation [federation] topology, batching, padding and retention
 * @param matching [matching] where matching happens and when a person is notified
 * @param tokenScheme [token_scheme] federated (fedtrace) or central (the baseline)
 * @param privacy [privacy] the sniffer adversary
 * @param behaviour [behaviour] households, age, asymptomatic infection, quarantine and testing
 * @param baselines [baselines] manual tracing and the camera baseline
 */
public record Scenario(
    long seed,
    int agents,
    int days,
    LocalDate startDate,
    List<Country> countries,
    CountryDefaults countryDefaults,
    Travel travel,
    Contacts contacts,
    Epidemic epidemic,
    FederationPolicy federation,
    Matching matching,
    TokenScheme tokenScheme,
    Privacy privacy,
    Behaviour behaviour,
    Baselines baselines) {

  /** Copies the lists. */
  public Scenario {
    countries = List.copyOf(countries);
  }

  /** The country codes in scenario order. */
  public List<String> countryCodes() {
    return countries.stream().map(Country::code).toList();
  }

  /** The hub of a hub topology: the configured one, else the first country. */
  public String hubCountry() {
    return federation.hub() == null ? countries.get(0).code() : federation.hub();
  }

  /**
   * A member country.
   *
   * @param code [code] ISO 3166-1 alpha-2 code, upper case
   * @param population [population] residents; only the ratio between countries matters, since
   *     {@code agents} are shared out in proportion
   * @param appAdoption [app_adoption] share of residents who run the app, 0..1
   * @param initialInfections [initial_infections] infected residents on day 0, or -1 for this
   *     country's population share of {@code epidemic.initial_infections}
   */
  public record Country(
      String code, double population, double appAdoption, int initialInfections) {}

  /**
   * Parameters of a country that {@code --countries} adds and the scenario does not list.
   *
   * @param population [population] residents (a weight, as for listed countries)
   * @param appAdoption [app_adoption] share of residents who run the app
   */
  public record CountryDefaults(double population, double appAdoption) {}

  /**
   * Cross-border movement.
   *
   * @param pairs [pairs] commuting and trips between given pairs of countries
   * @param backgroundTripRatePerDay [background_trip_rate_per_day] share of every country's
   *     residents who start a trip to a uniformly chosen other country each day
   * @param tripDays [trip_days] length of a trip in days (log-normal, at least 1)
   */
  public record Travel(List<TravelPair> pairs, double backgroundTripRatePerDay, Dist tripDays) {
    /** Copies the list. */
    public Travel {
      pairs = List.copyOf(pairs);
    }
  }

  /**
   * Movement from one country to another (both ways when {@code bothWays}).
   *
   * @param from [from] home country of the travellers
   * @param to [to] destination country
   * @param commuterShare [commuter_share] share of {@code from}'s residents who work in {@code to}
   *     on weekdays
   * @param tripRatePerDay [trip_rate_per_day] share of {@code from}'s residents who start a trip to
   *     {@code to} each day
   * @param bothWays [both_ways] the same figures apply from {@code to} to {@code from}
   */
  public record TravelPair(
      String from, String to, double commuterShare, double tripRatePerDay, boolean bothWays) {}

  /**
   * Where and how people meet.
   *
   * @param ratePerDay [rate_per_day] target number of contacts per person per day
   * @param visitsPerDay [visits_per_day] one-hour visits to places per person per day
   * @param placesPer1000Residents [places_per_1000_residents] places per 1,000 residents of a
   *     country
   * @param regularPlaceShare [regular_place_share] share of visits to the person's regular place
   *     (home area, or the workplace of a commuter during work hours)
   * @param durationMinutes [duration_minutes] contact duration (log-normal, 1..60)
   * @param attenuationDb [attenuation_db] true Bluetooth attenuation of a contact (normal,
   *     30..110), a proxy for distance
   * @param measurementNoiseDb [measurement_noise_db] standard deviation of the phones' attenuation
   *     measurement error
   * @param closeAttenuationDb [close_attenuation_db] ground truth: a contact is close when its true
   *     attenuation is at most this
   * @param closeMinutes [close_minutes] ground truth: a qualifying contact is at least this many
   *     close minutes with one person on one day
   */
  public record Contacts(
      double ratePerDay,
      int visitsPerDay,
      double placesPer1000Residents,
      double regularPlaceShare,
      Dist durationMinutes,
      Dist attenuationDb,
      double measurementNoiseDb,
      int closeAttenuationDb,
      int closeMinutes) {}

  /**
   * The disease and the health system.
   *
   * @param transmissionPerMinute [transmission_per_minute] infection hazard per minute of contact
   *     at weight 1
   * @param attenuationWeights [attenuation_weights] hazard weight by true attenuation
   * @param initialInfections [initial_infections] infected people on day 0, shared out by
   *     population
   * @param incubationDays [incubation_days] infection to symptom onset (log-normal)
   * @param presymptomaticDays [presymptomatic_days] infectious this long before onset
   * @param infectiousDays [infectious_days] length of the infectious period
   * @param testingProbability [testing_probability] share of infected people who get tested
   * @param testingDelayHours [testing_delay_hours] onset to positive result (log-normal)
   * @param reportShare [report_share] share of diagnosed people who report: app users upload their
   *     keys; in the central scheme the health authority reports them
   * @param uploadDelayHours [upload_delay_hours] diagnosis to upload (log-normal)
   * @param isolateAfterDiagnosis [isolate_after_diagnosis] diagnosed people stop visiting places
   */
  public record Epidemic(
      double transmissionPerMinute,
      List<AttenuationWeight> attenuationWeights,
      int initialInfections,
      Dist incubationDays,
      double presymptomaticDays,
      double infectiousDays,
      double testingProbability,
      Dist testingDelayHours,
      double reportShare,
      Dist uploadDelayHours,
      boolean isolateAfterDiagnosis) {
    /** Copies the list. */
    public Epidemic {
      attenuationWeights = List.copyOf(attenuationWeights);
    }
  }

  /**
   * A step of the transmission weight: contacts with true attenuation up to {@code maxDb} (and
   * above the previous step's) weigh {@code weight}; above the last step, 0.
   *
   * @param maxDb [max_db] upper attenuation bound of the step
   * @param weight [weight] hazard weight, 0..1
   */
  public record AttenuationWeight(int maxDb, double weight) {}

  /**
   * The federation's policy.
   *
   * @param topology [topology] mesh, hub or chain
   * @param hub [hub] the hub's country for the hub topology; null means the first country
   * @param batchMaxKeys [batch_max_keys] publish a batch when this many keys are pending
   * @param batchMaxAgeMinutes [batch_max_age_minutes] publish pending keys once the oldest has
   *     waited this long, if they come from at least {@code batchMinUploads} uploads
   * @param batchMinUploads [batch_min_uploads] uploads a batch published by age mixes at least
   * @param batchMaxHoldHours [batch_max_hold_hours] publish pending keys at the latest this long
   *     after the oldest arrived, however few uploads they come from
   * @param paddingMinKeys [padding_min_keys] no published batch has fewer keys
   * @param retentionDays [retention_days] days of keys a diagnosed person uploads and nodes keep
   */
  public record FederationPolicy(
      Topology topology,
      String hub,
      int batchMaxKeys,
      int batchMaxAgeMinutes,
      int batchMinUploads,
      int batchMaxHoldHours,
      int paddingMinKeys,
      int retentionDays) {}

  /**
   * Matching and notification.
   *
   * @param mode [mode] device (phones match what they download) or operator (the home node matches
   *     deposited observations)
   * @param devicePollHours [device_poll_hours] a phone fetches new batches this often (with {@code
   *     device_source: batches}), or hands its observations to its operator (operator mode)
   * @param notifyMinRiskScore [notify_min_risk_score] an exposure with at least this risk score
   *     notifies the person
   * @param downloadIntervalHours [download_interval_hours] device mode: a phone fetches the new key
   *     export files of its home node this often
   * @param deviceSource [device_source] device mode: phones match the export files (default) or the
   *     batches that reach their home node
   * @param writeExports [write_exports] device mode: the nodes write key export files (default);
   *     false, a simulator shortcut for large federations, leaves them out (then {@code
   *     device_source} must be {@code batches}, and the report has no download figures)
   * @param phonesSkipPadding [phones_skip_padding] a simulator shortcut for large federations: the
   *     phones leave out the keys that belong to no uploader (padding, known from ground truth),
   *     whose RPIs match an observation only by a 2^-128 accident; default false
   */
  public record Matching(
      MatchingMode mode,
      int devicePollHours,
      double notifyMinRiskScore,
      int downloadIntervalHours,
      DeviceSource deviceSource,
      boolean writeExports,
      boolean phonesSkipPadding) {}

  /**
   * The sniffer adversary, and what the nodes and apps do against linkage.
   *
   * @param snifferPlaceShare [sniffer_place_share] share of places with a Bluetooth receiver
   * @param snifferReconstructShare [sniffer_reconstruct_share] a person's movements count as
   *     reconstructed when the receivers saw at least this share of their visits
   * @param decoyUploads [decoy_uploads] the nodes' {@code batching.decoyUploads}: a batch whose
   *     keys come from fewer uploads is topped up with decoy uploads (spec R23.1); 1 adds none
   * @param coarsenMetadata [coarsen_metadata] apps upload keys without days since onset, the
   *     transmission risk level carrying the product of the two factors the risk model takes from
   *     them, so that every score stays the same ({@link
   *     org.fedtrace.sim.devices.MetadataCoarsening})
   * @param declineFederationShare [decline_federation_share] share of uploaders who decline to
   *     federate (spec §25.1): their upload is domestic-only, its keys reach only their home node's
   *     exports (R25.14)
   * @param flagTravellers [flag_travellers] an uploader who consents and whose keys list a visited
   *     country uploads with {@code traveller} set, so their keys go in TRAVELLER batches (R25.5)
   */
  public record Privacy(
      double snifferPlaceShare,
      double snifferReconstructShare,
      int decoyUploads,
      boolean coarsenMetadata,
      double declineFederationShare,
      boolean flagTravellers) {}

  /**
   * A distribution given by its mean and standard deviation (sd 0: always the mean).
   *
   * @param mean [mean] mean
   * @param sd [sd] standard deviation
   */
  public record Dist(double mean, double sd) {}
}
