package org.fedtrace.sim.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.fedtrace.sim.Notifications;
import org.fedtrace.sim.Outcome;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.metrics.privacy.NonDiagnosedKeysShared;
import org.fedtrace.sim.metrics.privacy.OperatorLearnsExposures;
import org.fedtrace.sim.metrics.privacy.SnifferTracking;
import org.fedtrace.sim.metrics.privacy.TekLinkage;
import org.fedtrace.sim.metrics.privacy.UploaderAnonymitySet;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * The centralized baseline on the same population, seed and ground truth. Every operator ships
 * every subscriber's network events (place and hour of each visit, under a stable pseudonym) to a
 * central tracker; everybody carries a phone, so there is no adoption limit. A diagnosed person who
 * reports (the same {@code report_share} and delay as uploads, app or not) becomes an index case at
 * their report hour; the tracker looks back {@code retention_days} days and at once notifies
 * everybody who was at the same place in the same hour as the index case.
 */
final class CentralBaseline {
  private final Outcome o;
  private final Scenario s;
  private final Population population;
  private final Epidemic epidemic;
  private final GroundTruth truth;

  CentralBaseline(Outcome outcome) {
    this.o = outcome;
    this.s = outcome.scenario();
    this.population = outcome.population();
    this.epidemic = outcome.epidemic();
    this.truth = outcome.truth();
  }

  Report.Scheme measure() {
    IndexCases cases = new IndexCases(population.size());
    List<Integer> reporters = new ArrayList<>();
    for (int a = 0; a < population.size(); a++) {
      int hour = epidemic.reportHour(a);
      if (hour < s.days() * 24) {
        int day = hour / 24;
        cases.add(a, Math.max(0, day - s.federation().retentionDays() + 1), day);
        reporters.add(a);
      }
    }
    BitSet exposed =
        QualifyingContacts.exposed(
            truth,
            cases,
            s.contacts().closeAttenuationDb(),
            s.contacts().closeMinutes(),
            a -> true);
    Notifications notified = coLocated(cases, reporters);
    LatencyCollector latency = new LatencyCollector(population, epidemic);
    notified.forEachPair(latency::add);
    return new Report.Scheme(
        Accuracy.of(exposed, notified.notified()),
        latency.latency(),
        privacy(cases, reporters, notified.notified()),
        reporters.size());
  }

  private Notifications coLocated(IndexCases cases, List<Integer> reporters) {
    Notifications out = new Notifications(population.size());
    for (int day = 0; day < truth.days(); day++) {
      DayVisits v = truth.visits(day);
      DayVisits.Gatherings g = v.gatherings(population.places());
      for (int u : reporters) {
        if (!cases.covers(u, day)) {
          continue;
        }
        for (int k = 0; k < v.perAgent(); k++) {
          int group = v.visit(u, k);
          if (group == DayVisits.NO_VISIT) {
            continue;
          }
          for (int i = g.start()[group]; i < g.start()[group + 1]; i++) {
            int other = g.members()[i];
            if (other != u) {
              out.recordNotification(other, u, epidemic.reportHour(u));
            }
          }
        }
      }
    }
    return out;
  }

  private Report.Privacy privacy(IndexCases cases, List<Integer> reporters, BitSet notified) {
    List<int[]> units = new ArrayList<>();
    List<TekLinkage.Unit> linkUnits = new ArrayList<>();
    List<int[]> movements = new ArrayList<>();
    for (int u : reporters) {
      units.add(new int[] {u});
      List<TekLinkage.LinkKey> days = new ArrayList<>();
      for (int d = cases.firstDay(u); d <= cases.lastDay(u); d++) {
        days.add(new TekLinkage.LinkKey(u, d, u, u));
      }
      linkUnits.add(new TekLinkage.Unit(population.code(population.home(u)), days));
      movements.add(Visits.places(truth, u, cases.firstDay(u), cases.lastDay(u)));
    }
    UploaderAnonymitySet.Result anonymity = UploaderAnonymitySet.of(units);
    TekLinkage.Result linkage = TekLinkage.of(linkUnits);
    SnifferTracking.Result tracker =
        SnifferTracking.of(movements, place -> true, s.privacy().snifferReconstructShare());
    return new Report.Privacy(
        NonDiagnosedKeysShared.count(recordOwners(), a -> Measurement.diagnosedDuringRun(o, a)),
        anonymity.min(),
        anonymity.median(),
        linkage.advantage(),
        linkage.success(),
        linkage.chance(),
        tracker.success(),
        OperatorLearnsExposures.central(notified),
        peopleWithRecords(),
        anonymity.peopleMin(),
        anonymity.decoyUploads());
  }

  /** The owner of every network record shipped to the tracker: one per visit. */
  private IntStream recordOwners() {
    return IntStream.range(0, truth.days())
        .flatMap(
            d -> {
              DayVisits v = truth.visits(d);
              return IntStream.range(0, v.agents() * v.perAgent())
                  .filter(i -> v.visit(i / v.perAgent(), i % v.perAgent()) != DayVisits.NO_VISIT)
                  .map(i -> i / v.perAgent());
            });
  }

  private long peopleWithRecords() {
    BitSet seen = new BitSet(population.size());
    recordOwners().forEach(seen::set);
    return seen.cardinality();
  }
}
