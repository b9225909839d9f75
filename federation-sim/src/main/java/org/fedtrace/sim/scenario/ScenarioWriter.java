package org.fedtrace.sim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.fedtrace.sim.scenario.Scenario.AttenuationWeight;
import org.fedtrace.sim.scenario.Scenario.Contacts;
import org.fedtrace.sim.scenario.Scenario.Country;
import org.fedtrace.sim.scenario.Scenario.Dist;
import org.fedtrace.sim.scenario.Scenario.Epidemic;
import org.fedtrace.sim.scenario.Scenario.FederationPolicy;
import org.fedtrace.sim.scenario.Scenario.TravelPair;

/**
 * Writes a scenario as a complete scenario file (every field), so a report says exactly what ran
 * and the run can be repeated from it. {@link ScenarioLoader#parse} reads it back to an equal
 * scenario.
 */
public final class ScenarioWriter {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

  private ScenarioWriter() {}

  /** The YAML text of {@code s}. */
  public static String write(Scenario s) {
    ObjectNode root = YAML.createObjectNode();
    root.put("seed", s.seed());
    root.put("agents", s.agents());
    root.put("days", s.days());
    root.put("start_date", s.startDate().toString());
    ArrayNode countries = root.putArray("countries");
    for (Country c : s.countries()) {
      ObjectNode n = countries.addObject();
      n.put("code", c.code());
      n.put("population", c.population());
      n.put("app_adoption", c.appAdoption());
      if (c.initialInfections() >= 0) {
        n.put("initial_infections", c.initialInfections());
      }
    }
    ObjectNode defaults = root.putObject("country_defaults");
    defaults.put("population", s.countryDefaults().population());
    defaults.put("app_adoption", s.countryDefaults().appAdoption());
    travel(root.putObject("travel"), s);
    contacts(root.putObject("contacts"), s.contacts());
    epidemic(root.putObject("epidemic"), s.epidemic());
    federation(root.putObject("federation"), s.federation());
    ObjectNode m = root.putObject("matching");
    m.put("mode", s.matching().mode().label());
    m.put("device_poll_hours", s.matching().devicePollHours());
    m.put("notify_min_risk_score", s.matching().notifyMinRiskScore());
    m.put("download_interval_hours", s.matching().downloadIntervalHours());
    m.put("device_source", s.matching().deviceSource().label());
    m.put("write_exports", s.matching().writeExports());
    m.put("phones_skip_padding", s.matching().phonesSkipPadding());
    root.put("token_scheme", s.tokenScheme().label());
    ObjectNode p = root.putObject("privacy");
    p.put("sniffer_place_share", s.privacy().snifferPlaceShare());
    p.put("sniffer_reconstruct_share", s.privacy().snifferReconstructShare());
    p.put("decoy_uploads", s.privacy().decoyUploads());
    p.put("coarsen_metadata", s.privacy().coarsenMetadata());
    p.put("decline_federation_share", s.privacy().declineFederationShare());
    p.put("flag_travellers", s.privacy().flagTravellers());
    BehaviourFields.write(root.putObject("behaviour"), s.behaviour());
    BehaviourFields.write(root.putObject("baselines"), s.baselines());
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the scenario as YAML", e);
    }
  }

  private static void travel(ObjectNode t, Scenario s) {
    ArrayNode pairs = t.putArray("pairs");
    for (TravelPair p : s.travel().pairs()) {
      ObjectNode n = pairs.addObject();
      n.put("from", p.from());
      n.put("to", p.to());
      n.put("commuter_share", p.commuterShare());
      n.put("trip_rate_per_day", p.tripRatePerDay());
      n.put("both_ways", p.bothWays());
    }
    t.put("background_trip_rate_per_day", s.travel().backgroundTripRatePerDay());
    dist(t.putObject("trip_days"), s.travel().tripDays());
  }

  private static void contacts(ObjectNode n, Contacts c) {
    n.put("rate_per_day", c.ratePerDay());
    n.put("visits_per_day", c.visitsPerDay());
    n.put("places_per_1000_residents", c.placesPer1000Residents());
    n.put("regular_place_share", c.regularPlaceShare());
    dist(n.putObject("duration_minutes"), c.durationMinutes());
    dist(n.putObject("attenuation_db"), c.attenuationDb());
    n.put("measurement_noise_db", c.measurementNoiseDb());
    n.put("close_attenuation_db", c.closeAttenuationDb());
    n.put("close_minutes", c.closeMinutes());
  }

  private static void epidemic(ObjectNode n, Epidemic e) {
    n.put("transmission_per_minute", e.transmissionPerMinute());
    ArrayNode weights = n.putArray("attenuation_weights");
    for (AttenuationWeight w : e.attenuationWeights()) {
      weights.addObject().put("max_db", w.maxDb()).put("weight", w.weight());
    }
    n.put("initial_infections", e.initialInfections());
    dist(n.putObject("incubation_days"), e.incubationDays());
    n.put("presymptomatic_days", e.presymptomaticDays());
    n.put("infectious_days", e.infectiousDays());
    n.put("testing_probability", e.testingProbability());
    dist(n.putObject("testing_delay_hours"), e.testingDelayHours());
    n.put("report_share", e.reportShare());
    dist(n.putObject("upload_delay_hours"), e.uploadDelayHours());
    n.put("isolate_after_diagnosis", e.isolateAfterDiagnosis());
  }

  private static void federation(ObjectNode n, FederationPolicy f) {
    n.put("topology", f.topology().label());
    if (f.hub() == null) {
      n.putNull("hub");
    } else {
      n.put("hub", f.hub());
    }
    n.put("batch_max_keys", f.batchMaxKeys());
    n.put("batch_max_age_minutes", f.batchMaxAgeMinutes());
    n.put("batch_min_uploads", f.batchMinUploads());
    n.put("batch_max_hold_hours", f.batchMaxHoldHours());
    n.put("padding_min_keys", f.paddingMinKeys());
    n.put("retention_days", f.retentionDays());
  }

  private static void dist(ObjectNode n, Dist d) {
    n.put("mean", d.mean());
    n.put("sd", d.sd());
  }
}
