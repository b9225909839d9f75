package org.fedtrace.sim.metrics;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.DaySample;
import org.fedtrace.sim.Notifications;
import org.fedtrace.sim.Outcome;
import org.fedtrace.sim.counterfactual.CameraSweep;
import org.fedtrace.sim.counterfactual.Scheme;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.devices.MetadataCoarsening;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.metrics.privacy.NonDiagnosedKeysShared;
import org.fedtrace.sim.metrics.privacy.OperatorLearnsExposures;
import org.fedtrace.sim.metrics.privacy.SnifferTracking;
import org.fedtrace.sim.metrics.privacy.TekLinkage;
import org.fedtrace.sim.metrics.privacy.UploaderAnonymitySet;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Efficacy;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.TokenScheme;
import org.fedtrace.sim.truth.GroundTruth;

/** Measures a finished run against its ground truth and assembles the {@link Report}. */
public final class Measurement {
  private static final long SNIFFER = 70;

  private final Outcome o;
  private final Scenario s;
  private final Population population;
  private final Epidemic epidemic;
  private final GroundTruth truth;

  private Measurement(Outcome outcome) {
    this.o = outcome;
    this.s = outcome.scenario();
    this.population = outcome.population();
    this.epidemic = outcome.epidemic();
    this.truth = outcome.truth();
  }

  /**
   * The report of {@code outcome}.
   *
   * @param scenarioSource names the scenario in the report
   */
  public static Report measure(Outcome outcome, String scenarioSource) {
    long t0 = System.nanoTime();
    Measurement m = new Measurement(outcome);
    Report.Scheme central = new CentralBaseline(outcome).measure();
    boolean federated = outcome.scenario().tokenScheme() == TokenScheme.FEDERATED;
    Report.Scheme main = federated ? m.federatedScheme() : central;
    Report.Truth truth = m.truth();
    Report.PerDay perDay = m.perDay();
    double wall = (outcome.simulateNanos() + System.nanoTime() - t0) / 1e9;
    return new Report(
        m.run(scenarioSource),
        m.throughput(wall),
        main,
        m.traffic(),
        central,
        truth,
        perDay,
        m.efficacy(),
        outcome.downloads(),
        DpStatisticsError.measure(outcome, m.s.countryCodes()),
        outcome.consents() == null
            ? null
            : SharingMeasure.of(outcome, m::link, main.privacy().tekLinkageAdvantage()));
  }

  /** The efficacy figures, or null when the run had no counterfactuals. */
  private Efficacy efficacy() {
    List<SchemeOutcome> schemes = o.counterfactuals();
    if (schemes.isEmpty()) {
      return null;
    }
    long searches = schemes.get(Scheme.CAMERA.ordinal()).indexCases();
    double rpis = 0;
    double observations = 0;
    for (DaySample d : o.samples()) {
      rpis += d.rpisMatched();
      observations += d.observations();
    }
    return new Efficacy(
        schemes,
        (double) searches / s.days(),
        CameraSweep.sweep(searches, s.days(), s.baselines().cameraFalseMatchRate(), s.seed()),
        CameraSweep.tokenFalseMatches(rpis, observations));
  }

  /** Whether place {@code place} has a sniffer's receiver. */
  boolean sniffed(int place) {
    return Draws.uniform(s.seed(), SNIFFER, place, 0) < s.privacy().snifferPlaceShare();
  }

  /** Whether {@code a} was diagnosed before the end of the run. */
  static boolean diagnosedDuringRun(Outcome o, int a) {
    return o.epidemic().diagnosisHour(a) < o.scenario().days() * 24;
  }

  private Report.Run run(String source) {
    return new Report.Run(
        s.seed(),
        s.agents(),
        s.days(),
        s.countryCodes(),
        s.federation().topology().label(),
        s.matching().mode().label(),
        s.tokenScheme().label(),
        s.startDate().toString(),
        source);
  }

  private Report.Scheme federatedScheme() {
    IndexCases cases = new IndexCases(population.size());
    for (GroundTruth.Upload u : truth.uploads()) {
      cases.add(u.agent(), u.keyDays().get(0), u.keyDays().get(u.keyDays().size() - 1));
    }
    BitSet exposed =
        QualifyingContacts.exposed(
            truth,
            cases,
            s.contacts().closeAttenuationDb(),
            s.contacts().closeMinutes(),
            population::hasApp);
    Notifications n = o.notifications();
    Accuracy accuracy = Accuracy.of(exposed, n.notified());
    LatencyCollector latency = new LatencyCollector(population, epidemic);
    n.forEachPair((agent, indexCase, hour) -> latency.add(agent, indexCase, hour));
    return new Report.Scheme(accuracy, latency.latency(), federatedPrivacy(), cases.size());
  }

  private Report.Privacy federatedPrivacy() {
    List<DiagnosisKeyBatch> batches = o.published();
    IntPredicate diagnosed = a -> diagnosedDuringRun(o, a);
    List<int[]> owners = new ArrayList<>();
    List<TekLinkage.Unit> units = new ArrayList<>();
    for (DiagnosisKeyBatch b : batches) {
      owners.add(b.getKeysList().stream().mapToInt(this::owner).toArray());
      units.add(
          new TekLinkage.Unit(b.getOrigin(), b.getKeysList().stream().map(this::link).toList()));
    }
    IntStream shared =
        population.countries() < 2
            ? IntStream.empty()
            : distinctKeys(batches).stream().mapToInt(this::owner);
    UploaderAnonymitySet.Result anonymity =
        UploaderAnonymitySet.of(owners, s.privacy().decoyUploads());
    TekLinkage.Result linkage = TekLinkage.of(units);
    List<int[]> movements = new ArrayList<>();
    for (GroundTruth.Upload u : truth.uploads()) {
      movements.add(
          Visits.places(
              truth, u.agent(), u.keyDays().get(0), u.keyDays().get(u.keyDays().size() - 1)));
    }
    SnifferTracking.Result sniffer =
        SnifferTracking.of(movements, this::sniffed, s.privacy().snifferReconstructShare());
    return new Report.Privacy(
        NonDiagnosedKeysShared.count(shared, diagnosed),
        anonymity.min(),
        anonymity.median(),
        linkage.advantage(),
        linkage.success(),
        linkage.chance(),
        sniffer.success(),
        OperatorLearnsExposures.federated(s.matching().mode(), o.notifications().matched()),
        population.countries() < 2 ? 0 : truth.uploads().size() - declined(),
        anonymity.peopleMin(),
        anonymity.decoyUploads());
  }

  /** Uploaders who declined to federate: their keys stay at their home node (spec R25.4). */
  private int declined() {
    return o.consents() == null ? 0 : o.consents().declinedCount();
  }

  private static List<DiagnosisKey> distinctKeys(List<DiagnosisKeyBatch> batches) {
    Set<ByteString> seen = new HashSet<>();
    List<DiagnosisKey> out = new ArrayList<>();
    for (DiagnosisKeyBatch b : batches) {
      for (DiagnosisKey k : b.getKeysList()) {
        if (seen.add(k.getKeyData())) {
          out.add(k);
        }
      }
    }
    return out;
  }

  private int owner(DiagnosisKey k) {
    GroundTruth.KeyOwner owner = truth.owner(k.getKeyData());
    return owner == null ? NonDiagnosedKeysShared.NOBODY : owner.agent();
  }

  private TekLinkage.LinkKey link(DiagnosisKey k) {
    int day = Math.floorDiv(k.getRollingStartIntervalNumber() - o.dayZeroEnin(), 144);
    long type = k.getReportTypeValue() * 1000L;
    if (k.hasDaysSinceOnsetOfSymptoms()) {
      // the transmission risk level follows from days since onset (MetadataCoarsening), so the
      // tag need not carry it
      long onset = k.getDaysSinceOnsetOfSymptoms() + 100;
      return new TekLinkage.LinkKey(owner(k), day, type + onset, type + onset - 1);
    }
    // coarsened: the level alone, and the levels its predecessor can have
    long level = type + 500 + k.getTransmissionRiskLevel();
    long[] before =
        Arrays.stream(MetadataCoarsening.predecessorLevels(k.getTransmissionRiskLevel()))
            .mapToLong(l -> type + 500 + l)
            .toArray();
    return new TekLinkage.LinkKey(owner(k), day, level, before);
  }

  private Report.Throughput throughput(double wallSeconds) {
    long rpis = 0;
    long keys = 0;
    long matchNanos = 0;
    long exchangeNanos = 0;
    for (DaySample d : o.samples()) {
      rpis += d.rpisMatched();
      keys += d.keysExchanged();
      matchNanos += d.matchNanos();
      exchangeNanos += d.exchangeNanos();
    }
    return new Report.Throughput(
        rate(rpis, matchNanos),
        rate(keys, exchangeNanos),
        wallSeconds,
        rpis,
        keys,
        matchNanos / 1e9,
        exchangeNanos / 1e9);
  }

  private static double rate(long count, long nanos) {
    return nanos == 0 ? 0 : count / (nanos / 1e9);
  }

  private Report.Traffic traffic() {
    long[] total = o.trafficByDay()[o.trafficByDay().length - 1];
    List<Double> byCountry = new ArrayList<>();
    double sum = 0;
    double max = 0;
    for (long bytes : total) {
      double perDay = (double) bytes / s.days();
      byCountry.add(perDay);
      sum += perDay;
      max = Math.max(max, perDay);
    }
    return new Report.Traffic(sum / total.length, max, byCountry);
  }

  private Report.Truth truth() {
    long contacts = 0;
    long crossBorder = 0;
    for (int d = 0; d < truth.days(); d++) {
      DayContacts c = truth.contacts(d);
      contacts += c.size();
      for (int i = 0; i < c.size(); i++) {
        if (population.home(c.first(i)) != population.home(c.second(i))) {
          crossBorder++;
        }
      }
    }
    long observations = o.samples().stream().mapToLong(DaySample::observations).sum();
    long infections = o.samples().stream().flatMapToInt(d -> IntStream.of(d.infections())).sum();
    long initial =
        IntStream.range(0, population.size()).filter(a -> epidemic.infectedHour(a) < 0).count();
    long diagnosed =
        IntStream.range(0, population.size()).filter(a -> diagnosedDuringRun(o, a)).count();
    long keysUploaded = truth.uploads().stream().mapToLong(u -> u.keyDays().size()).sum();
    long keysPublished = o.published().stream().mapToLong(DiagnosisKeyBatch::getKeysCount).sum();
    int smallest = o.published().stream().mapToInt(DiagnosisKeyBatch::getKeysCount).min().orElse(0);
    return new Report.Truth(
        contacts,
        crossBorder,
        (double) contacts * 2 / ((double) s.agents() * s.days()),
        observations,
        initial,
        infections,
        diagnosed,
        truth.uploads().size(),
        keysUploaded,
        o.published().size(),
        keysPublished,
        keysPublished - keysUploaded,
        smallest,
        o.notifications().paddingMatches());
  }

  private Report.PerDay perDay() {
    int days = s.days() + 1;
    int[][] infections = new int[days][];
    double[] rpis = new double[days];
    double[] keys = new double[days];
    for (int d = 0; d < days; d++) {
      DaySample sample = o.samples().get(d);
      infections[d] = sample.infections().clone();
      rpis[d] = rate(sample.rpisMatched(), sample.matchNanos());
      keys[d] = rate(sample.keysExchanged(), sample.exchangeNanos());
    }
    int[][] notified = new int[days][population.countries()];
    for (int a = 0; a < population.size(); a++) {
      int hour = o.notifications().firstHour(a);
      if (hour != Epidemic.NEVER) {
        notified[Math.min(days - 1, hour / 24)][population.home(a)]++;
      }
    }
    return new Report.PerDay(infections, notified, rpis, keys);
  }
}
