package org.fedtrace.sim.population;

import java.util.List;
import java.util.SplittableRandom;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.Scenario.Country;

/**
 * The simulated people and places, in primitive arrays (one entry per person, no object per
 * person). People are numbered country by country: the residents of country {@code c} are {@code
 * firstAgent(c) .. firstAgent(c + 1) - 1}; places likewise.
 */
public final class Population {
  /** A person who does not commute. */
  public static final short NONE = -1;

  private static final long APP = 1;
  private static final long ROLE = 2;
  private static final long PLACE = 3;
  private static final long HOUSEHOLD = 4;
  private static final long AGE = 5;
  private static final int MAX_HOUSEHOLD = 8;

  private final List<String> codes;
  private final int[] firstAgent;
  private final int[] firstPlace;
  private final short[] home;
  private final boolean[] app;
  private final short[] workCountry;
  private final int[] regularPlace;
  private final int[] workPlace;
  private final int[] household;
  private final boolean[] elderly;

  private Population(Scenario s, int[] firstAgent, int[] firstPlace) {
    this.codes = s.countryCodes();
    this.firstAgent = firstAgent;
    this.firstPlace = firstPlace;
    int n = s.agents();
    home = new short[n];
    app = new boolean[n];
    workCountry = new short[n];
    regularPlace = new int[n];
    workPlace = new int[n];
    household = new int[n];
    elderly = new boolean[n];
  }

  /** The people and places of scenario {@code s}. */
  public static Population create(Scenario s) {
    List<Country> countries = s.countries();
    double[] weights = countries.stream().mapToDouble(Country::population).toArray();
    int[] residents = share(s.agents(), weights);
    int[] firstAgent = new int[countries.size() + 1];
    int[] firstPlace = new int[countries.size() + 1];
    for (int c = 0; c < countries.size(); c++) {
      firstAgent[c + 1] = firstAgent[c] + residents[c];
      int places =
          (int)
              Math.max(1, Math.round(residents[c] * s.contacts().placesPer1000Residents() / 1000));
      firstPlace[c + 1] = firstPlace[c] + places;
    }
    Population p = new Population(s, firstAgent, firstPlace);
    p.assign(s);
    return p;
  }

  /**
   * Shares {@code total} out in proportion to {@code weights} (largest remainder; ties to the
   * earlier entry), so the parts add up to {@code total} exactly.
   */
  public static int[] share(long total, double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    int[] out = new int[weights.length];
    double[] rest = new double[weights.length];
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = total * weights[i] / sum;
      out[i] = (int) Math.floor(exact);
      rest[i] = exact - out[i];
      given += out[i];
    }
    while (given < total) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      out[best]++;
      rest[best] = -1;
      given++;
    }
    return out;
  }

  private void assign(Scenario s) {
    Commuting commuting = new Commuting(s);
    for (int c = 0; c < codes.size(); c++) {
      double adoption = s.countries().get(c).appAdoption();
      for (int a = firstAgent[c]; a < firstAgent[c + 1]; a++) {
        home[a] = (short) c;
        app[a] = Draws.uniform(s.seed(), APP, a, 0) < adoption;
        SplittableRandom r = Draws.random(s.seed(), PLACE, a, 0);
        regularPlace[a] = randomPlace(c, r);
        int work = commuting.workCountry(c, Draws.uniform(s.seed(), ROLE, a, 0));
        workCountry[a] = (short) work;
        workPlace[a] = work == NONE ? NONE : randomPlace(work, r);
        elderly[a] = Draws.uniform(s.seed(), AGE, a, 0) < s.behaviour().elderlyShare();
      }
      households(s, c);
    }
  }

  /**
   * Shares the residents of {@code c} out to households of consecutive people: sizes are 1 plus a
   * Poisson draw with mean {@code household_mean_size - 1}, at most 8.
   */
  private void households(Scenario s, int c) {
    SplittableRandom r = Draws.random(s.seed(), HOUSEHOLD, c, 0);
    double extra = s.behaviour().householdMeanSize() - 1;
    int a = firstAgent[c];
    while (a < firstAgent[c + 1]) {
      int size = Math.min(MAX_HOUSEHOLD, 1 + Draws.poisson(r, extra));
      int end = Math.min(firstAgent[c + 1], a + size);
      for (int m = a; m < end; m++) {
        household[m] = a;
      }
      a = end;
    }
  }

  /** The first member of {@code a}'s household; members are consecutive people. */
  public int household(int a) {
    return household[a];
  }

  /** Whether {@code a} is aged 65 or over. */
  public boolean isElderly(int a) {
    return elderly[a];
  }

  /** A uniformly chosen place of country {@code c}. */
  public int randomPlace(int c, SplittableRandom r) {
    return firstPlace[c] + r.nextInt(firstPlace[c + 1] - firstPlace[c]);
  }

  /** Number of people. */
  public int size() {
    return home.length;
  }

  /** Number of countries. */
  public int countries() {
    return codes.size();
  }

  /** Number of places in all countries. */
  public int places() {
    return firstPlace[codes.size()];
  }

  /** Country codes by index. */
  public List<String> codes() {
    return codes;
  }

  /** The code of country {@code c}. */
  public String code(int c) {
    return codes.get(c);
  }

  /** First person of country {@code c}; {@code firstAgent(countries())} is {@code size()}. */
  public int firstAgent(int c) {
    return firstAgent[c];
  }

  /** Residents of country {@code c}. */
  public int residents(int c) {
    return firstAgent[c + 1] - firstAgent[c];
  }

  /** The country of place {@code place}. */
  public int countryOfPlace(int place) {
    int lo = 0;
    int hi = codes.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstPlace[mid] <= place) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Home country of person {@code a}. */
  public int home(int a) {
    return home[a];
  }

  /** Whether person {@code a} runs the app. */
  public boolean hasApp(int a) {
    return app[a];
  }

  /** The country where {@code a} works on weekdays, or {@link #NONE}. */
  public int workCountry(int a) {
    return workCountry[a];
  }

  /** The regular place of {@code a} in their home country. */
  public int regularPlace(int a) {
    return regularPlace[a];
  }

  /** The workplace of a commuter abroad, or {@link #NONE}. */
  public int workPlace(int a) {
    return workPlace[a];
  }
}
