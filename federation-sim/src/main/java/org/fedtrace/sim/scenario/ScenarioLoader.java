package org.fedtrace.sim.scenario;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedtrace.rules.Countries;
import org.fedtrace.sim.federation.Topology;
import org.fedtrace.sim.scenario.Fields.InvalidField;
import org.fedtrace.sim.scenario.Scenario.AttenuationWeight;
import org.fedtrace.sim.scenario.Scenario.Contacts;
import org.fedtrace.sim.scenario.Scenario.Country;
import org.fedtrace.sim.scenario.Scenario.CountryDefaults;
import org.fedtrace.sim.scenario.Scenario.Dist;
import org.fedtrace.sim.scenario.Scenario.Epidemic;
import org.fedtrace.sim.scenario.Scenario.FederationPolicy;
import org.fedtrace.sim.scenario.Scenario.Matching;
import org.fedtrace.sim.scenario.Scenario.Privacy;
import org.fedtrace.sim.scenario.Scenario.Travel;
import org.fedtrace.sim.scenario.Scenario.TravelPair;

/**
 * Reads scenario files (YAML). A file may leave out any field, which then keeps the built-in
 * default's value ({@code default.yaml} beside this class); lists are replaced as a whole. A file
 * that lists its own {@code countries} starts without the default's travel pairs and hub. Every
 * invalid value is refused with a message naming the field.
 */
public final class ScenarioLoader {
  /** Most simulated people a scenario may ask for. */
  public static final int MAX_AGENTS = 20_000_000;

  /** Most simulated days. */
  public static final int MAX_DAYS = 365;

  /** Most member countries. */
  public static final int MAX_COUNTRIES = 250;

  private static final String DEFAULT_RESOURCE = "default.yaml";
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ScenarioLoader() {}

  /** The built-in default scenario. */
  public static Scenario builtInDefault() {
    try {
      return parse(defaultText(), "built-in default scenario");
    } catch (ScenarioException e) {
      throw new IllegalStateException(
          "the built-in default scenario is invalid: " + e.getMessage());
    }
  }

  /** The text of the built-in default scenario file. */
  public static String defaultText() {
    try (InputStream in = ScenarioLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in default scenario is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the scenario file {@code file}. */
  public static Scenario load(Path file) throws ScenarioException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(file + ": no such scenario file");
    } catch (IOException e) {
      throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses scenario YAML.
   *
   * @param source names the text in error messages (a file name)
   */
  public static Scenario parse(String yaml, String source) throws ScenarioException {
    JsonNode user = read(yaml, source);
    JsonNode defaults = read(defaultText(), "built-in default scenario");
    if (user.isObject() && user.has("countries")) {
      ObjectNode travel = (ObjectNode) defaults.get("travel");
      travel.set("pairs", YAML.createArrayNode());
      ((ObjectNode) defaults.get("federation")).putNull("hub");
    }
    try {
      return scenario(new Fields(merge(defaults, user), ""));
    } catch (InvalidField e) {
      throw new ScenarioException(source + ": " + e.getMessage());
    }
  }

  private static JsonNode read(String yaml, String source) throws ScenarioException {
    try {
      JsonNode node = YAML.readTree(yaml);
      return node == null || node.isMissingNode() ? YAML.createObjectNode() : node;
    } catch (JacksonException e) {
      throw new ScenarioException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code over} laid over {@code base}: mappings merge field by field, anything else replaces. */
  private static JsonNode merge(JsonNode base, JsonNode over) {
    if (!base.isObject() || !over.isObject()) {
      return over;
    }
    ObjectNode out = ((ObjectNode) base).deepCopy();
    for (Map.Entry<String, JsonNode> e : over.properties()) {
      JsonNode b = out.get(e.getKey());
      out.set(e.getKey(), b == null ? e.getValue() : merge(b, e.getValue()));
    }
    return out;
  }

  private static Scenario scenario(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "seed",
            "agents",
            "days",
            "start_date",
            "countries",
            "country_defaults",
            "travel",
            "contacts",
            "epidemic",
            "federation",
            "matching",
            "token_scheme",
            "privacy",
            "behaviour",
            "baselines"));
    List<Country> countries = countries(f);
    Set<String> codes = new HashSet<>();
    countries.forEach(c -> codes.add(c.code()));
    int agents = f.integer("agents", 1, MAX_AGENTS);
    Epidemic epidemic = epidemic(f.object("epidemic"));
    if (epidemic.initialInfections() > agents) {
      throw new InvalidField(
          "epidemic.initial_infections",
          "must not exceed agents (" + agents + "), got " + epidemic.initialInfections());
    }
    FederationPolicy federation = federation(f.object("federation"), codes);
    return new Scenario(
        f.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE),
        agents,
        f.integer("days", 1, MAX_DAYS),
        date(f, "start_date"),
        countries,
        countryDefaults(f.object("country_defaults")),
        travel(f.object("travel"), codes),
        contacts(f.object("contacts")),
        epidemic,
        federation,
        matching(f.object("matching")),
        choice(f, "token_scheme", TokenScheme::parse),
        privacy(f.object("privacy")),
        BehaviourFields.behaviour(f.object("behaviour")),
        BehaviourFields.baselines(f.object("baselines")));
  }

  private static List<Country> countries(Fields f) throws InvalidField {
    List<Country> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Fields c : f.objects("countries", 1, MAX_COUNTRIES)) {
      c.only(Set.of("code", "population", "app_adoption", "initial_infections"));
      String code = countryCode(c, "code");
      if (!seen.add(code)) {
        throw new InvalidField(c.at("code"), "country " + code + " is listed twice");
      }
      out.add(
          new Country(
              code,
              c.number("population", 1e-9, 1e12),
              c.number("app_adoption", 0, 1),
              c.has("initial_infections") ? c.integer("initial_infections", 0, MAX_AGENTS) : -1));
    }
    return out;
  }

  private static CountryDefaults countryDefaults(Fields f) throws InvalidField {
    f.only(Set.of("population", "app_adoption"));
    return new CountryDefaults(f.number("population", 1e-9, 1e12), f.number("app_adoption", 0, 1));
  }

  private static Travel travel(Fields f, Set<String> codes) throws InvalidField {
    f.only(Set.of("pairs", "background_trip_rate_per_day", "trip_days"));
    List<TravelPair> pairs = new ArrayList<>();
    for (Fields p : f.objects("pairs", 0, 100_000)) {
      p.only(Set.of("from", "to", "commuter_share", "trip_rate_per_day", "both_ways"));
      String from = member(p, "from", codes);
      String to = member(p, "to", codes);
      if (from.equals(to)) {
        throw new InvalidField(p.at("to"), "must differ from 'from' (" + from + ")");
      }
      pairs.add(
          new TravelPair(
              from,
              to,
              p.number("commuter_share", 0, 1),
              p.number("trip_rate_per_day", 0, 1),
              p.has("both_ways") && p.bool("both_ways")));
    }
    checkCommuterShares(f, pairs);
    return new Travel(
        pairs,
        f.number("background_trip_rate_per_day", 0, 1),
        dist(f.object("trip_days"), 1, MAX_DAYS));
  }

  private static void checkCommuterShares(Fields f, List<TravelPair> pairs) throws InvalidField {
    Map<String, Double> sums = new TreeMap<>();
    for (TravelPair p : pairs) {
      sums.merge(p.from(), p.commuterShare(), Double::sum);
      if (p.bothWays()) {
        sums.merge(p.to(), p.commuterShare(), Double::sum);
      }
    }
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      if (e.getValue() > 1 + 1e-9) {
        throw new InvalidField(
            f.at("pairs"),
            "the commuter shares of "
                + e.getKey()
                + " add up to "
                + e.getValue()
                + ", more than 1");
      }
    }
  }

  private static Contacts contacts(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "rate_per_day",
            "visits_per_day",
            "places_per_1000_residents",
            "regular_place_share",
            "duration_minutes",
            "attenuation_db",
            "measurement_noise_db",
            "close_attenuation_db",
            "close_minutes"));
    return new Contacts(
        f.number("rate_per_day", 0, 200),
        f.integer("visits_per_day", 1, 15),
        f.number("places_per_1000_residents", 0.01, 1000),
        f.number("regular_place_share", 0, 1),
        dist(f.object("duration_minutes"), 1, 60),
        dist(f.object("attenuation_db"), 30, 110),
        f.number("measurement_noise_db", 0, 30),
        f.integer("close_attenuation_db", 30, 110),
        f.integer("close_minutes", 1, 1440));
  }

  private static Epidemic epidemic(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "transmission_per_minute",
            "attenuation_weights",
            "initial_infections",
            "incubation_days",
            "presymptomatic_days",
            "infectious_days",
            "testing_probability",
            "testing_delay_hours",
            "report_share",
            "upload_delay_hours",
            "isolate_after_diagnosis"));
    Dist incubation = dist(f.object("incubation_days"), 1, 30);
    double presymptomatic = f.number("presymptomatic_days", 0, 10);
    return new Epidemic(
        f.number("transmission_per_minute", 0, 1),
        weights(f),
        f.integer("initial_infections", 0, MAX_AGENTS),
        incubation,
        presymptomatic,
        f.number("infectious_days", 0.5, 60),
        f.number("testing_probability", 0, 1),
        dist(f.object("testing_delay_hours"), 0, 24 * 30),
        f.number("report_share", 0, 1),
        dist(f.object("upload_delay_hours"), 0, 24 * 30),
        f.bool("isolate_after_diagnosis"));
  }

  private static List<AttenuationWeight> weights(Fields f) throws InvalidField {
    List<AttenuationWeight> out = new ArrayList<>();
    int previous = Integer.MIN_VALUE;
    for (Fields w : f.objects("attenuation_weights", 1, 20)) {
      w.only(Set.of("max_db", "weight"));
      int max = w.integer("max_db", 0, 200);
      if (max <= previous) {
        throw new InvalidField(w.at("max_db"), "must be above the previous step's " + previous);
      }
      previous = max;
      out.add(new AttenuationWeight(max, w.number("weight", 0, 1)));
    }
    return out;
  }

  private static FederationPolicy federation(Fields f, Set<String> codes) throws InvalidField {
    f.only(
        Set.of(
            "topology",
            "hub",
            "batch_max_keys",
            "batch_max_age_minutes",
            "batch_min_uploads",
            "batch_max_hold_hours",
            "padding_min_keys",
            "retention_days"));
    String hub = f.has("hub") ? member(f, "hub", codes) : null;
    int maxKeys = f.integer("batch_max_keys", 1, 100_000);
    // the nodes refuse less (spec R21.17)
    int padding = f.integer("padding_min_keys", 64, 100_000);
    if (padding > maxKeys) {
      throw new InvalidField(
          f.at("padding_min_keys"), "must not exceed batch_max_keys (" + maxKeys + ")");
    }
    int maxAge = f.integer("batch_max_age_minutes", 1, 1440);
    int maxHold = f.integer("batch_max_hold_hours", 1, 24);
    if (maxHold * 60 < maxAge) {
      throw new InvalidField(
          f.at("batch_max_hold_hours"),
          "must be at least batch_max_age_minutes (" + maxAge + " minutes)");
    }
    return new FederationPolicy(
        choice(f, "topology", Topology::parse),
        hub,
        maxKeys,
        maxAge,
        f.integer("batch_min_uploads", 1, 1_000),
        maxHold,
        padding,
        f.integer("retention_days", 1, 30));
  }

  private static Matching matching(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "mode",
            "device_poll_hours",
            "notify_min_risk_score",
            "download_interval_hours",
            "device_source",
            "write_exports",
            "phones_skip_padding"));
    DeviceSource source = choice(f, "device_source", DeviceSource::parse);
    boolean exports = f.bool("write_exports");
    if (!exports && source == DeviceSource.EXPORTS) {
      throw new InvalidField(
          f.at("write_exports"), "false needs device_source: batches (phones read no exports)");
    }
    return new Matching(
        choice(f, "mode", MatchingMode::parse),
        f.integer("device_poll_hours", 1, 24),
        f.number("notify_min_risk_score", 0, 1e6),
        f.integer("download_interval_hours", 1, 168),
        source,
        exports,
        f.bool("phones_skip_padding"));
  }

  private static Privacy privacy(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "sniffer_place_share",
            "sniffer_reconstruct_share",
            "decoy_uploads",
            "coarsen_metadata",
            "decline_federation_share",
            "flag_travellers"));
    return new Privacy(
        f.number("sniffer_place_share", 0, 1),
        f.number("sniffer_reconstruct_share", 1e-9, 1),
        f.integer("decoy_uploads", 1, 1_000),
        f.bool("coarsen_metadata"),
        f.number("decline_federation_share", 0, 1),
        f.bool("flag_travellers"));
  }

  private static Dist dist(Fields f, double min, double max) throws InvalidField {
    f.only(Set.of("mean", "sd"));
    return new Dist(f.number("mean", min, max), f.number("sd", 0, max));
  }

  private static LocalDate date(Fields f, String name) throws InvalidField {
    String text = f.text(name);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidField(f.at(name), "must be a date YYYY-MM-DD, got '" + text + "'");
    }
  }

  private static String countryCode(Fields f, String name) throws InvalidField {
    String code = f.text(name);
    if (!Countries.isCountryCode(code)) {
      throw new InvalidField(
          f.at(name), "must be an ISO 3166-1 alpha-2 code in upper case, got '" + code + "'");
    }
    return code;
  }

  private static String member(Fields f, String name, Set<String> codes) throws InvalidField {
    String code = countryCode(f, name);
    if (!codes.contains(code)) {
      throw new InvalidField(f.at(name), code + " is not one of the scenario's countries");
    }
    return code;
  }

  private static <T> T choice(Fields f, String name, Parser<T> parser) throws InvalidField {
    String text = f.text(name);
    try {
      return parser.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidField(f.at(name), e.getMessage());
    }
  }

  private interface Parser<T> {
    T parse(String text);
  }
}
