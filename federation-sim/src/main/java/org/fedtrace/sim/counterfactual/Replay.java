package org.fedtrace.sim.counterfactual;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;

/**
 * One counterfactual world: the shared potential days, its own epidemic and its own reaction to
 * notifications, traced by one scheme. Days and hours advance in step with the fedtrace run.
 */
final class Replay implements World {
  private final Scheme scheme;
  private final Epidemic epidemic;
  private final Reaction reaction;
  private final Tracer tracer;
  private final Map<Integer, List<Integer>> triggers = new HashMap<>();
  private final Map<Integer, List<Integer>> pending = new HashMap<>();
  private final BitSet indexCases = new BitSet();
  private final long[] infectionsByDay;

  Replay(Scheme scheme, Scenario s, Population population, History history) {
    this.scheme = scheme;
    this.epidemic = new Epidemic(s, population);
    this.reaction = new Reaction(s, epidemic, population.size());
    this.tracer = Tracer.of(scheme, s, population, history, epidemic, reaction);
    this.infectionsByDay = new long[s.days()];
    epidemic.seedInfections(s.countries());
    for (int a = 0; a < population.size(); a++) {
      schedule(a);
    }
  }

  private void schedule(int a) {
    int hour = tracer.triggerHour(a);
    if (hour != Epidemic.NEVER) {
      triggers.computeIfAbsent(hour, h -> new ArrayList<>()).add(a);
    }
  }

  /** Runs a day's contacts, then its hours. */
  void day(int day, DayContacts contacts) {
    reaction.startDay(day);
    int[] infected = epidemic.transmit(contacts, i -> reaction.happens(contacts, i));
    infectionsByDay[day] = infected.length;
    for (int a : infected) {
      schedule(a);
    }
    tracer.observe(day);
    for (int h = day * 24; h < day * 24 + 24; h++) {
      hour(h);
    }
  }

  /** Runs one hour: test results, tracing due now, notifications due now. */
  void hour(int h) {
    for (int a : reaction.testResults(h)) {
      schedule(a);
    }
    for (int a : take(triggers, h)) {
      if (tracer.triggerHour(a) == h) {
        indexCases.set(a);
        tracer.trace(a, h, this::notifyAt);
      }
    }
    for (int a : take(pending, h)) {
      reaction.notify(a, h);
    }
  }

  private void notifyAt(int a, int hour) {
    pending.computeIfAbsent(hour, x -> new ArrayList<>()).add(a);
  }

  private static List<Integer> take(Map<Integer, List<Integer>> byHour, int h) {
    List<Integer> due = byHour.remove(h);
    return due == null ? List.of() : due;
  }

  @Override
  public Scheme scheme() {
    return scheme;
  }

  @Override
  public Epidemic epidemic() {
    return epidemic;
  }

  @Override
  public Reaction reaction() {
    return reaction;
  }

  @Override
  public boolean isIndexCase(int a) {
    return indexCases.get(a);
  }

  @Override
  public long[] infectionsByDay() {
    return infectionsByDay.clone();
  }

  @Override
  public long learnedAbout() {
    return tracer.learnedAbout(indexCases);
  }

  @Override
  public long falseMatches() {
    return tracer.falseMatches();
  }
}
