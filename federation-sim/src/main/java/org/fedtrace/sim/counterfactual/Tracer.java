package org.fedtrace.sim.counterfactual;

import java.util.BitSet;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Scenario;

/** How one counterfactual scheme finds the people to notify once it learns of an index case. */
abstract class Tracer {
  final Scenario s;
  final Population population;
  final History history;
  final Epidemic epidemic;
  final Reaction reaction;

  Tracer(Scenario s, Population population, History history, Epidemic epidemic, Reaction reaction) {
    this.s = s;
    this.population = population;
    this.history = history;
    this.epidemic = epidemic;
    this.reaction = reaction;
  }

  static Tracer of(
      Scheme scheme,
      Scenario s,
      Population population,
      History history,
      Epidemic epidemic,
      Reaction reaction) {
    return switch (scheme) {
      case NONE -> new Tracer(s, population, history, epidemic, reaction) {};
      case MANUAL -> new ManualTracer(s, population, history, epidemic, reaction);
      case APPS_NATIONAL, APPS_FEDERATED ->
          new AppTracer(s, population, history, epidemic, reaction, scheme == Scheme.APPS_NATIONAL);
      case CENTRAL, CAMERA ->
          new PlaceTracer(s, population, history, epidemic, reaction, scheme == Scheme.CAMERA);
      case FEDTRACE -> throw new IllegalArgumentException("fedtrace runs on the real nodes");
    };
  }

  /** The hour the scheme traces from {@code a}, or NEVER (this base: nobody is traced). */
  int triggerHour(int a) {
    return Epidemic.NEVER;
  }

  /** Traces from index case {@code a} at {@code hour}, notifying through {@code out}. */
  void trace(int a, int hour, Notifier out) {}

  /** Called once day {@code d}'s contacts have run in this world. */
  void observe(int d) {}

  /** People the operator learns about, given the index cases traced. */
  long learnedAbout(BitSet indexCases) {
    return 0;
  }

  /** Camera false matches so far. */
  long falseMatches() {
    return 0;
  }

  /** The first day a trace at {@code hour} covers, looking back {@code days} days. */
  static int firstDay(int hour, int days) {
    return Math.max(0, hour / 24 - days + 1);
  }

  /** Receives a notification. */
  @FunctionalInterface
  interface Notifier {
    /** Notify {@code a} at {@code hour} (now or later). */
    void notifyAt(int a, int hour);
  }
}
