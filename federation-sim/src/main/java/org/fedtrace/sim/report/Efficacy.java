package org.fedtrace.sim.report;

import java.util.List;
import org.fedtrace.sim.counterfactual.CameraSweep;
import org.fedtrace.sim.counterfactual.SchemeOutcome;

/**
 * [efficacy] what each scheme achieved on the same seed and population, and false matches.
 *
 * @param schemes [schemes] one entry per scheme, no tracing first
 * @param cameraSearchesPerDay [camera_searches_per_day] index cases the camera scheme searched for,
 *     per simulated day
 * @param cameraSweep [camera_false_matches_sweep] camera false matches per day by watched
 *     population
 * @param fedtraceFalseMatches [fedtrace_expected_false_matches] expected token false matches of the
 *     whole run
 */
public record Efficacy(
    List<SchemeOutcome> schemes,
    double cameraSearchesPerDay,
    List<CameraSweep.Point> cameraSweep,
    double fedtraceFalseMatches) {
  /** Copies the lists. */
  public Efficacy {
    schemes = List.copyOf(schemes);
    cameraSweep = List.copyOf(cameraSweep);
  }
}
