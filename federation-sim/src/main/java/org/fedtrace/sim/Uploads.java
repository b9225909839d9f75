package org.fedtrace.sim;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.sim.devices.MetadataCoarsening;
import org.fedtrace.sim.devices.Teks;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * The diagnosis keys a person uploads at a given hour: their keys of the last {@code
 * retention_days} days (not before day 0), today's with its rolling period cut at the upload time
 * (none at midnight). Metadata: report type confirmed test; days since onset of symptoms (clipped
 * to -14..14); transmission risk level 6 within two days of onset, 4 within five, else 2; visited
 * countries: the countries other than home where the person made a visit that day. With {@code
 * coarsen_metadata}, no days since onset and the coarse level of {@link MetadataCoarsening} as the
 * transmission risk level.
 */
final class Uploads {
  private final Population population;
  private final Epidemic epidemic;
  private final Teks teks;
  private final GroundTruth truth;
  private final int dayZeroEnin;
  private final int retentionDays;
  private final boolean coarsen;
  private final Consents consents;

  Uploads(
      Population population,
      Epidemic epidemic,
      Teks teks,
      GroundTruth truth,
      int dayZeroEnin,
      Scenario scenario) {
    this.population = population;
    this.epidemic = epidemic;
    this.teks = teks;
    this.truth = truth;
    this.dayZeroEnin = dayZeroEnin;
    this.retentionDays = scenario.federation().retentionDays();
    this.coarsen = scenario.privacy().coarsenMetadata();
    this.consents = new Consents(scenario, population.countries());
  }

  /** Who of the uploaders declines to federate or is flagged as a traveller (spec §25.1). */
  Consents consents() {
    return consents;
  }

  /** The keys of {@code agent} at {@code hour}, by key day (ascending). */
  Map<Integer, DiagnosisKey> keys(int agent, int hour) {
    int today = hour / 24;
    int todayIntervals = (hour % 24) * 6;
    Map<Integer, DiagnosisKey> out = new LinkedHashMap<>();
    for (int d = Math.max(0, today - retentionDays + 1); d <= today; d++) {
      int period = d < today ? TokenDeriver.MAX_ROLLING_PERIOD : todayIntervals;
      if (period > 0) {
        out.put(d, key(agent, d, period));
      }
    }
    return out;
  }

  private DiagnosisKey key(int agent, int day, int period) {
    int onsetDay = Math.floorDiv(epidemic.onsetHour(agent), 24);
    int dsos = Math.max(-14, Math.min(14, day - onsetDay));
    DiagnosisKey.Builder k =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(teks.tek(agent, day)))
            .setRollingStartIntervalNumber(dayZeroEnin + day * TokenDeriver.MAX_ROLLING_PERIOD)
            .setRollingPeriod(period)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .addAllVisitedCountries(visited(agent, day));
    if (coarsen) {
      return k.setTransmissionRiskLevel(MetadataCoarsening.level(dsos)).build();
    }
    return k.setDaysSinceOnsetOfSymptoms(dsos)
        .setTransmissionRiskLevel(MetadataCoarsening.transmissionRiskLevel(dsos))
        .build();
  }

  private List<String> visited(int agent, int day) {
    DayVisits v = truth.visits(day);
    TreeSet<String> out = new TreeSet<>();
    for (int k = 0; k < v.perAgent(); k++) {
      int ph = v.visit(agent, k);
      if (ph != DayVisits.NO_VISIT) {
        int c = population.countryOfPlace(DayVisits.place(ph));
        if (c != population.home(agent)) {
          out.add(population.code(c));
        }
      }
    }
    return new ArrayList<>(out);
  }
}
