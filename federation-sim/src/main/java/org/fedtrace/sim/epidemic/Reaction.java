package org.fedtrace.sim.epidemic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.scenario.Behaviour;
import org.fedtrace.sim.scenario.Scenario;

/**
 * What notified people do, in one world (fedtrace or a counterfactual): with {@code
 * quarantine_compliance} they quarantine from the day after the notification for {@code
 * quarantine_days} days, making no visit outside their household; at their first notification a
 * share {@code test_notified_share} gets tested after a log-normal delay, and a positive test makes
 * them a diagnosed index case (isolated, reporting as any diagnosed person). Every decision is a
 * draw of its own (the seed, a purpose, the person and the hour), so one world's decisions do not
 * shift another's draws: the same person notified at the same hour decides alike in every world.
 */
public final class Reaction {
  private static final long COMPLY = 40;
  private static final long TEST = 41;
  private static final long TEST_DELAY = 42;
  private static final long SENSITIVE = 43;
  private static final int SENSITIVE_FROM_HOURS = 3 * 24;
  private static final int SENSITIVE_UNTIL_HOURS = 14 * 24;

  private final Behaviour behaviour;
  private final long seed;
  private final Epidemic epidemic;
  private final int[] firstNotified;
  private final int[] quarantineFrom;
  private final int[] quarantineUntil;
  private final BitSet withoutCause = new BitSet();
  private final BitSet quarantined = new BitSet();
  private final Map<Integer, List<Integer>> tests = new HashMap<>();
  private final List<BitSet> quarantinedByDay = new ArrayList<>();

  /** No one notified yet, in a world whose disease is {@code epidemic}. */
  public Reaction(Scenario s, Epidemic epidemic, int agents) {
    this.behaviour = s.behaviour();
    this.seed = s.seed();
    this.epidemic = epidemic;
    firstNotified = new int[agents];
    Arrays.fill(firstNotified, Epidemic.NEVER);
    quarantineFrom = new int[agents];
    quarantineUntil = new int[agents];
  }

  /** {@code a} is notified at {@code hour}. */
  public void notify(int a, int hour) {
    boolean first = firstNotified[a] == Epidemic.NEVER;
    firstNotified[a] = Math.min(firstNotified[a], hour);
    if (Draws.uniform(seed, COMPLY, a, hour) < behaviour.quarantineCompliance()
        && behaviour.quarantineDays() > 0) {
      quarantine(a, hour);
    }
    if (first && Draws.uniform(seed, TEST, a, 0) < behaviour.testNotifiedShare()) {
      double delay =
          Draws.logNormal(
              Draws.random(seed, TEST_DELAY, a, 0),
              behaviour.testNotifiedDelayHours().mean(),
              behaviour.testNotifiedDelayHours().sd());
      tests.computeIfAbsent(hour + (int) Math.round(delay), h -> new ArrayList<>()).add(a);
    }
  }

  private void quarantine(int a, int hour) {
    int from = hour / 24 + 1;
    int until = from + behaviour.quarantineDays();
    if (quarantineUntil[a] >= from && quarantineFrom[a] <= from) {
      quarantineUntil[a] = Math.max(quarantineUntil[a], until);
    } else {
      quarantineFrom[a] = from;
      quarantineUntil[a] = until;
    }
    quarantined.set(a);
    if (epidemic.infectedHour(a) > hour) {
      withoutCause.set(a);
    }
  }

  /**
   * Starts {@code day}: fixes who is in quarantine on it. Days start in order from 0, each before
   * {@link #happens} is asked about it.
   */
  public void startDay(int day) {
    BitSet q = new BitSet();
    for (int a = quarantined.nextSetBit(0); a >= 0; a = quarantined.nextSetBit(a + 1)) {
      if (quarantineFrom[a] <= day && day < quarantineUntil[a]) {
        q.set(a);
      }
    }
    quarantinedByDay.add(q);
  }

  /** Whether {@code a} was in quarantine on {@code day} (a started day). */
  public boolean isQuarantined(int a, int day) {
    return quarantinedByDay.get(day).get(a);
  }

  /** Whether {@code a} was out (neither isolated nor in quarantine) at simulated {@code hour}. */
  public boolean isOut(int a, int hour) {
    return !isQuarantined(a, hour / 24) && hour < epidemic.isolatedFromHour(a);
  }

  /**
   * Whether contact {@code i} happens: a household contact always does; any other only if both
   * people are out.
   */
  public boolean happens(DayContacts c, int i) {
    if (c.isHousehold(i)) {
      return true;
    }
    int hour = c.hour(i);
    return isOut(c.first(i), hour) && isOut(c.second(i), hour);
  }

  /**
   * The tests whose result comes at {@code hour}: a test is positive when the person was infected 3
   * to 14 days before and the person's sensitivity draw is below {@code test_sensitivity}.
   *
   * @return the people whose positive test diagnosed them at {@code hour}
   */
  public List<Integer> testResults(int hour) {
    List<Integer> due = tests.remove(hour);
    if (due == null) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    for (int a : due) {
      int since = hour - epidemic.infectedHour(a);
      boolean positive =
          epidemic.infectedHour(a) != Epidemic.NEVER
              && since >= SENSITIVE_FROM_HOURS
              && since < SENSITIVE_UNTIL_HOURS
              && Draws.uniform(seed, SENSITIVE, a, 0) < behaviour.testSensitivity();
      if (positive && epidemic.diagnoseByTest(a, hour)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Hour of {@code a}'s first notification, or {@link Epidemic#NEVER}. */
  public int firstNotified(int a) {
    return firstNotified[a];
  }

  /** People who quarantined at least once. */
  public int quarantinedPeople() {
    return quarantined.cardinality();
  }

  /** People who began a quarantine while not infected. */
  public int quarantinedWithoutCause() {
    return withoutCause.cardinality();
  }
}
