package org.fedtrace.sim;

import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.counterfactual.Scheme;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * Everything a finished run leaves for measurement.
 *
 * @param scenario the scenario (with overrides applied)
 * @param population the people and places
 * @param epidemic everybody's disease course
 * @param truth visits, contacts and uploads
 * @param notifications who was notified when, because of whom
 * @param published every batch the federation published (empty for the central scheme)
 * @param samples per-day counters; the last entry is the drain after the last day
 * @param trafficByDay cumulative traffic bytes by node at the end of each day (last row: after the
 *     drain), indexed [day][country]
 * @param dayZeroEnin interval number of midnight starting day 0
 * @param simulateNanos wall time of the run
 * @param counterfactuals every scheme's outcome on the same seed and population, in {@link Scheme}
 *     order (fedtrace's from this run)
 * @param downloads what phones downloaded from the key exports, or null when none were written
 * @param consents who declined to federate or travelled, or null for the central scheme
 */
public record Outcome(
    Scenario scenario,
    Population population,
    Epidemic epidemic,
    GroundTruth truth,
    Notifications notifications,
    List<DiagnosisKeyBatch> published,
    List<DaySample> samples,
    long[][] trafficByDay,
    int dayZeroEnin,
    long simulateNanos,
    List<SchemeOutcome> counterfactuals,
    Report.Downloads downloads,
    Consents consents) {
  /** Copies the list. */
  public Outcome {
    counterfactuals = List.copyOf(counterfactuals);
  }
}
