package org.fedtrace.sim.scenario;

/**
 * The counterfactual schemes that run beside fedtrace on the same seed and population: manual
 * tracing by interview and camera face recognition. The defaults and their sources are in
 * federation-sim/README.md; the YAML name of each field is in brackets.
 *
 * @param manualFoundShare [manual_found_share] share of a diagnosed person's non-household domestic
 *     contacts an interview finds (household members are always found)
 * @param manualDelayHours [manual_delay_hours] diagnosis to the notification of the contacts found
 * @param manualLookbackDays [manual_lookback_days] days of contacts the interview covers
 * @param cameraPlaceShare [camera_place_share] share of places watched by a camera
 * @param cameraFalseMatchRate [camera_false_match_rate] probability that a face compared with an
 *     index case's photograph is wrongly declared theirs
 * @param cameraFalseNonMatchRate [camera_false_non_match_rate] probability that an unmasked face
 *     passing a camera is not recognised
 * @param cameraMaskedFalseNonMatchRate [camera_masked_false_non_match_rate] the same for a masked
 *     face
 * @param cameraMaskShare [camera_mask_share] share of visits made wearing a mask
 * @param counterfactuals [counterfactuals] whether the run replays the other schemes at all (they
 *     hold every potential day in memory: about 1.5 GB more at 1,000,000 people)
 */
public record Baselines(
    double manualFoundShare,
    int manualDelayHours,
    int manualLookbackDays,
    double cameraPlaceShare,
    double cameraFalseMatchRate,
    double cameraFalseNonMatchRate,
    double cameraMaskedFalseNonMatchRate,
    double cameraMaskShare,
    boolean counterfactuals) {}
