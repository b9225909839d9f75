package org.fedtrace.sim.epidemic;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Behaviour;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.Scenario.AttenuationWeight;

/**
 * An SEIR epidemic with testing and reporting, per person, in simulated hours (hour 0 is midnight
 * at the start of day 0). When a person is infected their whole course is drawn at once from a
 * generator seeded by the run's seed and the person, so the course does not depend on processing
 * order: symptom onset after a log-normal incubation (at least a day), infectious from {@code
 * presymptomatic_days} before onset (but not before a day after infection) for {@code
 * infectious_days}; tested with {@code testing_probability}, diagnosed after a log-normal testing
 * delay; a diagnosed person reports with {@code report_share} after a log-normal upload delay.
 *
 * <p>Transmission: a contact between an infectious and a susceptible person infects with
 * probability {@code 1 - exp(-transmission_per_minute * minutes * weight(attenuation))}, the hazard
 * times {@code asymptomatic_infectiousness} when the source never shows symptoms (a share {@code
 * asymptomatic_share} of infections, never tested on symptoms).
 */
public final class Epidemic {
  /** An event that never happens. */
  public static final int NEVER = Integer.MAX_VALUE;

  private static final long COURSE = 30;
  private static final long TRANSMIT = 31;
  private static final long SEEDING = 32;

  private final Scenario.Epidemic params;
  private final Behaviour behaviour;
  private final long seed;
  private final Population population;
  private final int[] infected;
  private final int[] infectious;
  private final int[] recovered;
  private final int[] onset;
  private final int[] diagnosed;
  private final int[] reported;
  private final int[] uploadDelay;
  private final int[] infector;
  private final boolean[] reports;
  private final boolean[] asymptomatic;

  /** A fully susceptible population. */
  public Epidemic(Scenario s, Population population) {
    this.params = s.epidemic();
    this.behaviour = s.behaviour();
    this.seed = s.seed();
    this.population = population;
    int n = population.size();
    infected = filled(n);
    infectious = filled(n);
    recovered = filled(n);
    onset = filled(n);
    diagnosed = filled(n);
    reported = filled(n);
    uploadDelay = new int[n];
    infector = filled(n);
    reports = new boolean[n];
    asymptomatic = new boolean[n];
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, NEVER);
    return a;
  }

  /**
   * Infects the initial cases: per country its share of {@code initial_infections} (or its own
   * {@code initial_infections}), chosen uniformly among residents, infected at a uniform time in
   * the four days before day 0.
   */
  public void seedInfections(List<Scenario.Country> countries) {
    int[] counts = initialCounts(countries);
    for (int c = 0; c < countries.size(); c++) {
      SplittableRandom r = Draws.random(seed, SEEDING, c, 0);
      int first = population.firstAgent(c);
      int residents = population.residents(c);
      int want = Math.min(counts[c], residents);
      int done = 0;
      while (done < want) {
        int a = first + r.nextInt(residents);
        if (infected[a] == NEVER) {
          infect(a, -1 - r.nextInt(4 * 24));
          done++;
        }
      }
    }
  }

  private int[] initialCounts(List<Scenario.Country> countries) {
    double[] weights = new double[countries.size()];
    int rest = params.initialInfections();
    for (int c = 0; c < countries.size(); c++) {
      boolean own = countries.get(c).initialInfections() >= 0;
      weights[c] = own ? 0 : countries.get(c).population();
    }
    int[] counts =
        Arrays.stream(weights).sum() > 0
            ? Population.share(rest, weights)
            : new int[countries.size()];
    for (int c = 0; c < countries.size(); c++) {
      if (countries.get(c).initialInfections() >= 0) {
        counts[c] = countries.get(c).initialInfections();
      }
    }
    return counts;
  }

  /**
   * Transmission along the contacts of one day that {@code happens} keeps, in contact order. Each
   * contact has its own draw (the seed, the day and the contact's number), so removing some
   * contacts, as quarantine does, leaves the draws of the others unchanged.
   *
   * @return the people infected, in order of infection
   */
  public int[] transmit(DayContacts contacts, IntPredicate happens) {
    int[] out = new int[16];
    int n = 0;
    for (int i = 0; i < contacts.size(); i++) {
      int a = contacts.first(i);
      int b = contacts.second(i);
      int hour = contacts.hour(i);
      boolean ai = isInfectious(a, hour);
      boolean bi = isInfectious(b, hour);
      if (ai == bi) {
        continue;
      }
      int source = ai ? a : b;
      int target = ai ? b : a;
      if (infected[target] != NEVER || !happens.test(i)) {
        continue;
      }
      double hazard =
          params.transmissionPerMinute()
              * contacts.duration(i)
              * weight(contacts.attenuation(i))
              * (asymptomatic[source] ? behaviour.asymptomaticInfectiousness() : 1);
      if (Draws.uniform(seed, TRANSMIT, contacts.day(), i) < -Math.expm1(-hazard)) {
        infect(target, hour);
        infector[target] = source;
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = target;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The hazard weight of a contact with true attenuation {@code db}. */
  double weight(int db) {
    for (AttenuationWeight w : params.attenuationWeights()) {
      if (db <= w.maxDb()) {
        return w.weight();
      }
    }
    return 0;
  }

  private void infect(int a, int hour) {
    SplittableRandom r = Draws.random(seed, COURSE, a, 0);
    int incubation = (int) Math.max(24, Math.round(24 * logNormal(r, params.incubationDays())));
    int latent = (int) Math.max(24, incubation - Math.round(24 * params.presymptomaticDays()));
    infected[a] = hour;
    onset[a] = hour + incubation;
    infectious[a] = hour + latent;
    recovered[a] = infectious[a] + (int) Math.round(24 * params.infectiousDays());
    boolean tested = r.nextDouble() < params.testingProbability();
    boolean reports = r.nextDouble() < params.reportShare();
    int testDelay = (int) Math.round(logNormal(r, params.testingDelayHours()));
    int delay = (int) Math.round(logNormal(r, params.uploadDelayHours()));
    asymptomatic[a] = r.nextDouble() < behaviour.asymptomaticShare();
    uploadDelay[a] = delay;
    this.reports[a] = reports;
    if (tested && !asymptomatic[a]) {
      diagnosed[a] = Math.max(0, onset[a] + testDelay);
      if (reports) {
        reported[a] = diagnosed[a] + delay;
      }
    }
  }

  /**
   * A test of {@code a} at {@code hour} was positive: {@code a} is diagnosed then, unless already
   * diagnosed earlier, and reports (if they report at all) after their upload delay.
   *
   * @return whether this moved {@code a}'s diagnosis earlier
   */
  public boolean diagnoseByTest(int a, int hour) {
    if (diagnosed[a] <= hour) {
      return false;
    }
    diagnosed[a] = hour;
    reported[a] = reports[a] ? hour + uploadDelay[a] : NEVER;
    return true;
  }

  /** Number of people. */
  public int size() {
    return infected.length;
  }

  /** Who infected {@code a} (NEVER for initial cases and the uninfected). */
  public int infector(int a) {
    return infector[a];
  }

  /** Whether {@code a}'s infection never shows symptoms. */
  public boolean isAsymptomatic(int a) {
    return asymptomatic[a];
  }

  private static double logNormal(SplittableRandom r, Scenario.Dist d) {
    return Draws.logNormal(r, d.mean(), d.sd());
  }

  /** Whether {@code a} is infectious at simulated hour {@code hour}. */
  public boolean isInfectious(int a, int hour) {
    return infectious[a] <= hour && hour < recovered[a];
  }

  /** Hour of infection of {@code a} (negative for initial cases), or NEVER. */
  public int infectedHour(int a) {
    return infected[a];
  }

  /** Hour of symptom onset of {@code a}, or NEVER. */
  public int onsetHour(int a) {
    return onset[a];
  }

  /** Hour at which {@code a} is diagnosed, or NEVER. */
  public int diagnosisHour(int a) {
    return diagnosed[a];
  }

  /**
   * Hour at which {@code a}'s diagnosis is reported, or NEVER: an app user uploads their keys then;
   * in the central scheme the health authority reports them to the tracker then.
   */
  public int reportHour(int a) {
    return reported[a];
  }

  /** Hour from which {@code a} stays home, or NEVER. */
  public int isolatedFromHour(int a) {
    return params.isolateAfterDiagnosis() ? diagnosed[a] : NEVER;
  }
}
