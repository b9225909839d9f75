package org.fedtrace.sim.counterfactual;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.DeviceSource;
import org.fedtrace.sim.scenario.MatchingMode;
import org.fedtrace.sim.scenario.Scenario;

/**
 * A model of the exposure-notification apps, without nodes: at an app user's upload hour, every
 * other app user whose phone heard them on a covered day with a risk score of at least {@code
 * notify_min_risk_score} is notified {@code ceil(batch_max_age_minutes / 60)} hours plus the
 * phone's delay later: with {@code device_source: exports} the hourly export window and {@code
 * download_interval_hours} (the export embargo holds only keys of the upload day, which this model
 * leaves out); otherwise {@code device_poll_hours}. The score is the engine's {@link RiskModel}
 * over the day's contacts, with the attenuation each contact's phone measured (the true one plus
 * normal noise of {@code measurement_noise_db}) and the key's transmission risk level and days
 * since onset set as uploads set them. National only: the person must live in the uploader's
 * country, as when no key crosses a border.
 */
final class AppTracer extends Tracer {
  private static final long NOISE = 51;
  private final boolean national;
  private final int delay;

  AppTracer(
      Scenario s,
      Population population,
      History history,
      Epidemic epidemic,
      Reaction reaction,
      boolean national) {
    super(s, population, history, epidemic, reaction);
    this.national = national;
    this.delay = (s.federation().batchMaxAgeMinutes() + 59) / 60 + phoneHours(s.matching());
  }

  /** Hours from a key's batch to the phone that matches it (see the class comment). */
  static int phoneHours(Scenario.Matching m) {
    if (m.mode() == MatchingMode.DEVICE && m.deviceSource() == DeviceSource.EXPORTS) {
      return 1 + m.downloadIntervalHours();
    }
    return m.devicePollHours();
  }

  @Override
  int triggerHour(int a) {
    return population.hasApp(a) ? epidemic.reportHour(a) : Epidemic.NEVER;
  }

  @Override
  void trace(int a, int hour, Notifier out) {
    int onsetDay = Math.floorDiv(epidemic.onsetHour(a), 24);
    int last = Math.min(hour / 24, history.size() - 1);
    for (int d = firstDay(hour, s.federation().retentionDays()); d <= last; d++) {
      int dsos = Math.max(-14, Math.min(14, d - onsetDay));
      int level = Math.abs(dsos) <= 2 ? 6 : Math.abs(dsos) <= 5 ? 4 : 2;
      Map<Integer, Long> weighted = heard(history.day(d), a, hour);
      for (Map.Entry<Integer, Long> e : weighted.entrySet()) {
        double score = RiskModel.score(e.getValue(), level, false, dsos);
        if (score >= s.matching().notifyMinRiskScore()) {
          out.notifyAt(e.getKey(), hour + delay);
        }
      }
    }
  }

  /** Weighted percent-seconds each phone heard from {@code a} on a day, before {@code hour}. */
  private Map<Integer, Long> heard(History.Day day, int a, int hour) {
    Map<Integer, Long> out = new HashMap<>();
    DayContacts c = day.contacts();
    for (int k = day.from(a); k < day.from(a + 1); k++) {
      int i = day.ids()[k];
      int b = day.other(i, a);
      if (!population.hasApp(b)
          || (national && population.home(b) != population.home(a))
          || c.hour(i) >= hour
          || !reaction.happens(c, i)) {
        continue;
      }
      double noise =
          s.contacts().measurementNoiseDb()
              * Draws.gaussian(Draws.random(s.seed(), NOISE, c.day(), i));
      int measured = (int) Math.round(c.attenuation(i) + noise);
      long w = 60L * c.duration(i) * RiskModel.attenuationWeightPercent(measured);
      out.merge(b, w, Long::sum);
    }
    return out;
  }

  @Override
  long learnedAbout(BitSet indexCases) {
    return indexCases.cardinality();
  }
}
