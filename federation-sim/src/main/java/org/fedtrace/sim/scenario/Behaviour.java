package org.fedtrace.sim.scenario;

/**
 * How people live and how they react to a notification: households, an age structure, infections
 * without symptoms, quarantine and testing of notified people. The defaults and their published
 * sources are in federation-sim/README.md; the YAML name of each field is in brackets.
 *
 * @param householdMeanSize [household_mean_size] mean number of people per household
 * @param householdMinutes [household_contact_minutes] minutes of the daily contact between two
 *     members of a household (1..60, in the evening)
 * @param householdAttenuationDb [household_attenuation_db] true attenuation of a household contact
 * @param elderlyShare [elderly_share] share of people aged 65 or over
 * @param elderlyVisitShare [elderly_visit_share] share of the visit slots an older person uses
 * @param asymptomaticShare [asymptomatic_share] share of infections that never show symptoms (and
 *     so are never tested on symptoms)
 * @param asymptomaticInfectiousness [asymptomatic_infectiousness] their infectiousness relative to
 *     a symptomatic person
 * @param quarantineCompliance [quarantine_compliance] probability that a notified person
 *     quarantines (drops every visit outside the household)
 * @param quarantineDays [quarantine_days] days of quarantine, from the day after the notification
 * @param testNotifiedShare [test_notified_share] share of notified people who get tested
 * @param testNotifiedDelayHours [test_notified_delay_hours] notification to test result
 *     (log-normal)
 * @param testSensitivity [test_sensitivity] probability that a test of an infected person from day
 *     3 to day 14 after infection is positive (earlier or later: negative)
 */
public record Behaviour(
    double householdMeanSize,
    int householdMinutes,
    int householdAttenuationDb,
    double elderlyShare,
    double elderlyVisitShare,
    double asymptomaticShare,
    double asymptomaticInfectiousness,
    double quarantineCompliance,
    int quarantineDays,
    double testNotifiedShare,
    Scenario.Dist testNotifiedDelayHours,
    double testSensitivity) {}
