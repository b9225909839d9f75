package org.fedtrace.sim.population;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.Scenario.TravelPair;

/**
 * Plans each day's visits: everybody makes {@code visits_per_day} one-hour visits at distinct hours
 * between 07:00 and 22:00; commuters spend weekday working hours (09:00-17:00) in their work
 * country; travellers spend a whole trip abroad. A visit is to the person's regular place with
 * probability {@code regular_place_share}, else to a uniformly chosen place of the country they are
 * in. People aged 65 or over use only {@code elderly_visit_share} of their visit slots.
 */
public final class Mobility {
  /** First hour of the day with visits. */
  public static final int FIRST_HOUR = 7;

  /** Number of hours with visits (07:00 to 22:00). */
  public static final int ACTIVE_HOURS = 15;

  private static final int WORK_FROM = 9;
  private static final int WORK_UNTIL = 17;
  private static final long DAY = 10;
  private static final long TRIP = 11;

  private final Population population;
  private final long seed;
  private final int perAgent;
  private final int elderlyVisits;
  private final double regularShare;
  private final LocalDate startDate;
  private final Scenario.Dist tripDays;
  private final double[] tripRate;
  private final double[][] tripWeight;
  private final short[] tripCountry;
  private final int[] tripEnd;

  /** Mobility of {@code population} under scenario {@code s}. */
  public Mobility(Scenario s, Population population) {
    this.population = population;
    this.seed = s.seed();
    this.perAgent = s.contacts().visitsPerDay();
    this.elderlyVisits = (int) Math.round(perAgent * s.behaviour().elderlyVisitShare());
    this.regularShare = s.contacts().regularPlaceShare();
    this.startDate = s.startDate();
    this.tripDays = s.travel().tripDays();
    int n = population.countries();
    tripWeight = new double[n][n];
    tripRate = new double[n];
    List<String> codes = population.codes();
    double background = s.travel().backgroundTripRatePerDay();
    for (int from = 0; from < n; from++) {
      for (int to = 0; to < n; to++) {
        tripWeight[from][to] = from == to ? 0 : background / (n - 1);
      }
    }
    for (TravelPair p : Commuting.pairs(s)) {
      tripWeight[codes.indexOf(p.from())][codes.indexOf(p.to())] += p.tripRatePerDay();
    }
    for (int from = 0; from < n; from++) {
      tripRate[from] = Arrays.stream(tripWeight[from]).sum();
    }
    tripCountry = new short[population.size()];
    Arrays.fill(tripCountry, Population.NONE);
    tripEnd = new int[population.size()];
  }

  /**
   * The potential visits of {@code day}, as if nobody stayed home: each world of the run drops
   * those of its isolated and quarantined people.
   */
  public DayVisits plan(int day) {
    SplittableRandom r = Draws.random(seed, DAY, day, 0);
    boolean weekday =
        startDate.plusDays(day).getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue();
    int[] out = new int[population.size() * perAgent];
    int[] hours = new int[ACTIVE_HOURS];
    for (int a = 0; a < population.size(); a++) {
      int abroad = trip(a, day, r);
      int slots = population.isElderly(a) ? elderlyVisits : perAgent;
      chooseHours(hours, r);
      for (int k = 0; k < perAgent; k++) {
        int hour = hours[k];
        int v = visit(a, hour, abroad, weekday, r) * 24 + hour;
        out[a * perAgent + k] = k >= slots ? DayVisits.NO_VISIT : v;
      }
    }
    return new DayVisits(day, perAgent, out);
  }

  /** Whether {@code a} is on a trip abroad on the day planned last. */
  public boolean isAbroad(int a) {
    return tripCountry[a] != Population.NONE;
  }

  /** The trip country of {@code a} on {@code day} (starting a trip maybe), or NONE. */
  private int trip(int a, int day, SplittableRandom r) {
    if (tripCountry[a] != Population.NONE && tripEnd[a] > day) {
      return tripCountry[a];
    }
    tripCountry[a] = Population.NONE;
    int home = population.home(a);
    double u = r.nextDouble();
    if (u >= tripRate[home]) {
      return Population.NONE;
    }
    double acc = 0;
    int to = home;
    for (int c = 0; c < tripWeight[home].length; c++) {
      acc += tripWeight[home][c];
      if (u < acc) {
        to = c;
        break;
      }
    }
    SplittableRandom t = Draws.random(seed, TRIP, a, day);
    int length = (int) Math.max(1, Math.round(Draws.logNormal(t, tripDays.mean(), tripDays.sd())));
    tripCountry[a] = (short) to;
    tripEnd[a] = day + length;
    return to;
  }

  private int visit(int a, int hour, int abroad, boolean weekday, SplittableRandom r) {
    boolean regular = r.nextDouble() < regularShare;
    if (abroad != Population.NONE) {
      return population.randomPlace(abroad, r);
    }
    int work = population.workCountry(a);
    if (work != Population.NONE && weekday && hour >= WORK_FROM && hour < WORK_UNTIL) {
      return regular ? population.workPlace(a) : population.randomPlace(work, r);
    }
    return regular ? population.regularPlace(a) : population.randomPlace(population.home(a), r);
  }

  /** Puts {@code perAgent} distinct active hours, ascending, first in {@code hours}. */
  private void chooseHours(int[] hours, SplittableRandom r) {
    for (int i = 0; i < ACTIVE_HOURS; i++) {
      hours[i] = FIRST_HOUR + i;
    }
    for (int i = 0; i < perAgent; i++) {
      int j = i + r.nextInt(ACTIVE_HOURS - i);
      int t = hours[i];
      hours[i] = hours[j];
      hours[j] = t;
    }
    Arrays.sort(hours, 0, perAgent);
  }
}
