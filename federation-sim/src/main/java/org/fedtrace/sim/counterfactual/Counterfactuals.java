package org.fedtrace.sim.counterfactual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;

/**
 * The counterfactual worlds of a run, advanced in step with it: every world gets the same potential
 * day (visits and contacts as if nobody stayed home) and keeps its own epidemic, tracing and
 * reaction. The worlds are independent, so they run in parallel; their figures do not depend on it.
 */
public final class Counterfactuals {
  private final History history;
  private final List<Replay> replays = new ArrayList<>();
  private final ExecutorService pool;

  /** The worlds of every scheme but fedtrace, for scenario {@code s}. */
  public Counterfactuals(Scenario s, Population population, ExecutorService pool) {
    this.history = new History(population.places());
    this.pool = pool;
    for (Scheme scheme : Scheme.values()) {
      if (scheme != Scheme.FEDTRACE) {
        replays.add(new Replay(scheme, s, population, history));
      }
    }
  }

  /** Runs one potential day in every world. */
  public void day(DayVisits visits, DayContacts contacts) {
    history.add(visits, contacts);
    int day = visits.day();
    runAll(r -> r.day(day, contacts));
  }

  /** Runs hours {@code from .. to - 1} after the last day (no contacts) in every world. */
  public void drain(int from, int to) {
    runAll(
        r -> {
          for (int h = from; h < to; h++) {
            r.hour(h);
          }
        });
  }

  private void runAll(java.util.function.Consumer<Replay> step) {
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Replay r : replays) {
      tasks.add(
          () -> {
            step.accept(r);
            return null;
          });
    }
    try {
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running counterfactuals", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a counterfactual failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The outcome of every scheme, in {@link Scheme} order, with fedtrace's from {@code fedtrace}.
   *
   * @param endHour notifications before this hour count (the end of the drain)
   */
  public List<SchemeOutcome> outcomes(World fedtrace, int endHour) {
    List<World> worlds = new ArrayList<>(replays);
    worlds.add(Scheme.FEDTRACE.ordinal(), fedtrace);
    List<SchemeOutcome> out = new ArrayList<>();
    for (World w : worlds) {
      out.add(measure(w, endHour));
    }
    long none = out.get(0).infections();
    return out.stream().map(o -> o.withAverted(none)).toList();
  }

  /** The figures of one world. */
  static SchemeOutcome measure(World w, int endHour) {
    Epidemic e = w.epidemic();
    long[] byDay = w.infectionsByDay();
    long infections = 0;
    for (long n : byDay) {
      infections += n;
    }
    int agents = e.size();
    long notified = 0;
    long infectedWhenNotified = 0;
    long byIndex = 0;
    long byIndexNotified = 0;
    long indexCases = 0;
    for (int a = 0; a < agents; a++) {
      indexCases += w.isIndexCase(a) ? 1 : 0;
      int first = w.reaction().firstNotified(a);
      boolean isNotified = first < endHour;
      if (isNotified) {
        notified++;
        infectedWhenNotified += e.infectedHour(a) <= first ? 1 : 0;
      }
      int source = e.infector(a);
      if (source != Epidemic.NEVER && w.isIndexCase(source)) {
        byIndex++;
        byIndexNotified += isNotified ? 1 : 0;
      }
    }
    return new SchemeOutcome(
        w.scheme(),
        indexCases,
        infections,
        0,
        notified,
        notified == 0 ? Double.NaN : (double) infectedWhenNotified / notified,
        byIndex == 0 ? Double.NaN : (double) byIndexNotified / byIndex,
        w.reaction().quarantinedPeople(),
        w.reaction().quarantinedWithoutCause(),
        w.learnedAbout(),
        w.falseMatches(),
        byDay);
  }
}
