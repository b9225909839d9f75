package org.fedtrace.sim.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.fedtrace.sim.scenario.Fields.InvalidField;

/** Reads and writes the scenario's {@code behaviour} and {@code baselines} sections. */
final class BehaviourFields {
  private BehaviourFields() {}

  static Behaviour behaviour(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "household_mean_size",
            "household_contact_minutes",
            "household_attenuation_db",
            "elderly_share",
            "elderly_visit_share",
            "asymptomatic_share",
            "asymptomatic_infectiousness",
            "quarantine_compliance",
            "quarantine_days",
            "test_notified_share",
            "test_notified_delay_hours",
            "test_sensitivity"));
    Fields delay = f.object("test_notified_delay_hours");
    delay.only(Set.of("mean", "sd"));
    return new Behaviour(
        f.number("household_mean_size", 1, 8),
        f.integer("household_contact_minutes", 1, 60),
        f.integer("household_attenuation_db", 30, 110),
        f.number("elderly_share", 0, 1),
        f.number("elderly_visit_share", 0, 1),
        f.number("asymptomatic_share", 0, 1),
        f.number("asymptomatic_infectiousness", 0, 1),
        f.number("quarantine_compliance", 0, 1),
        f.integer("quarantine_days", 0, 60),
        f.number("test_notified_share", 0, 1),
        new Scenario.Dist(delay.number("mean", 0, 24 * 30), delay.number("sd", 0, 24 * 30)),
        f.number("test_sensitivity", 0, 1));
  }

  static Baselines baselines(Fields f) throws InvalidField {
    f.only(
        Set.of(
            "manual_found_share",
            "manual_delay_hours",
            "manual_lookback_days",
            "camera_place_share",
            "camera_false_match_rate",
            "camera_false_non_match_rate",
            "camera_masked_false_non_match_rate",
            "camera_mask_share",
            "counterfactuals"));
    return new Baselines(
        f.number("manual_found_share", 0, 1),
        f.integer("manual_delay_hours", 0, 24 * 30),
        f.integer("manual_lookback_days", 1, 30),
        f.number("camera_place_share", 0, 1),
        f.number("camera_false_match_rate", 0, 1),
        f.number("camera_false_non_match_rate", 0, 1),
        f.number("camera_masked_false_non_match_rate", 0, 1),
        f.number("camera_mask_share", 0, 1),
        f.bool("counterfactuals"));
  }

  static void write(ObjectNode n, Behaviour b) {
    n.put("household_mean_size", b.householdMeanSize());
    n.put("household_contact_minutes", b.householdMinutes());
    n.put("household_attenuation_db", b.householdAttenuationDb());
    n.put("elderly_share", b.elderlyShare());
    n.put("elderly_visit_share", b.elderlyVisitShare());
    n.put("asymptomatic_share", b.asymptomaticShare());
    n.put("asymptomatic_infectiousness", b.asymptomaticInfectiousness());
    n.put("quarantine_compliance", b.quarantineCompliance());
    n.put("quarantine_days", b.quarantineDays());
    n.put("test_notified_share", b.testNotifiedShare());
    n.putObject("test_notified_delay_hours")
        .put("mean", b.testNotifiedDelayHours().mean())
        .put("sd", b.testNotifiedDelayHours().sd());
    n.put("test_sensitivity", b.testSensitivity());
  }

  static void write(ObjectNode n, Baselines b) {
    n.put("manual_found_share", b.manualFoundShare());
    n.put("manual_delay_hours", b.manualDelayHours());
    n.put("manual_lookback_days", b.manualLookbackDays());
    n.put("camera_place_share", b.cameraPlaceShare());
    n.put("camera_false_match_rate", b.cameraFalseMatchRate());
    n.put("camera_false_non_match_rate", b.cameraFalseNonMatchRate());
    n.put("camera_masked_false_non_match_rate", b.cameraMaskedFalseNonMatchRate());
    n.put("camera_mask_share", b.cameraMaskShare());
    n.put("counterfactuals", b.counterfactuals());
  }
}
