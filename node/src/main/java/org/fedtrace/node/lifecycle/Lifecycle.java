package org.fedtrace.node.lifecycle;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The node's state machine (spec §21.1): STARTING, SERVING, SUNSET, DRAINING and STOPPED, with only
 * the spec's transitions allowed. A serving node enters SUNSET by itself once the UTC date is after
 * the agreement's sunset date, and stays there (R21.11): exchange ends whatever the clock says
 * later. Thread-safe.
 */
public final class Lifecycle {
  /** States of a node. */
  public enum State {
    /** Loading its files and opening its store; no listener yet. */
    STARTING,
    /** Listening and exchanging. */
    SERVING,
    /** Past the agreement's sunset: answering, exchanging nothing (final until stopped). */
    SUNSET,
    /** Shutting down: refusing new calls while in-flight ones finish. */
    DRAINING,
    /** Stopped. */
    STOPPED
  }

  private static final Map<State, Set<State>> NEXT =
      Map.of(
          State.STARTING, EnumSet.of(State.SERVING, State.SUNSET, State.DRAINING, State.STOPPED),
          State.SERVING, EnumSet.of(State.SUNSET, State.DRAINING),
          State.SUNSET, EnumSet.of(State.DRAINING),
          State.DRAINING, EnumSet.of(State.STOPPED),
          State.STOPPED, EnumSet.noneOf(State.class));

  private final LocalDate sunsetDate;
  private final Clock clock;
  private final boolean sunsetReachedBefore;
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

  /**
   * @param sunsetDate the agreement's last day of exchange (UTC)
   * @param sunsetReachedBefore whether the node's store records that it reached SUNSET before: it
   *     then starts in SUNSET whatever the clock says (R21.11)
   */
  public Lifecycle(LocalDate sunsetDate, Clock clock, boolean sunsetReachedBefore) {
    this.sunsetDate = sunsetDate;
    this.clock = clock;
    this.sunsetReachedBefore = sunsetReachedBefore;
  }

  /** The current state; a serving node past its sunset is in SUNSET. */
  public State state() {
    State s = state.get();
    if (s == State.SERVING && clockPastSunset()) {
      state.compareAndSet(State.SERVING, State.SUNSET);
      return state.get();
    }
    return s;
  }

  /**
   * The listener is open (STARTING to SERVING, or to SUNSET when the node starts past it).
   *
   * @throws IllegalStateException unless the node is starting
   */
  public void serve() {
    moveTo(clockPastSunset() ? State.SUNSET : State.SERVING);
  }

  /**
   * Shutdown was requested: from now on new calls are refused.
   *
   * @return false, changing nothing, when the node already drains or stopped
   */
  public boolean drain() {
    while (true) {
      State from = state();
      if (from == State.DRAINING || from == State.STOPPED) {
        return false;
      }
      if (state.compareAndSet(from, State.DRAINING)) {
        return true;
      }
    }
  }

  /**
   * The node stopped.
   *
   * @throws IllegalStateException unless the node drains
   */
  public void stopped() {
    moveTo(State.STOPPED);
  }

  private void moveTo(State next) {
    while (true) {
      State from = state();
      if (!NEXT.get(from).contains(next)) {
        throw new IllegalStateException("a node cannot go from " + from + " to " + next);
      }
      if (state.compareAndSet(from, next)) {
        return;
      }
    }
  }

  /** True once the node reached SUNSET, or the UTC date is after the agreement's sunset date. */
  public boolean pastSunset() {
    return state() == State.SUNSET || clockPastSunset();
  }

  private boolean clockPastSunset() {
    return sunsetReachedBefore
        || LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).isAfter(sunsetDate);
  }

  /** The agreement's sunset date. */
  public LocalDate sunsetDate() {
    return sunsetDate;
  }

  /** Whether the node drains or stopped, and so refuses new calls (R21.2). */
  public boolean draining() {
    State s = state.get();
    return s == State.DRAINING || s == State.STOPPED;
  }

  /**
   * Refuses a call while the node shuts down.
   *
   * @throws RuleViolation {@link Rule#DRAINING}
   */
  public void checkNotDraining() {
    if (draining()) {
      throw new RuleViolation(Rule.DRAINING, "the node is shutting down; retry with backoff");
    }
  }

  /**
   * Allows an exchange call or refuses it.
   *
   * @param pastSunset the rule of the refusal past the sunset (R21.6, or R15.2 for operator
   *     matching)
   * @throws RuleViolation {@link Rule#DRAINING} while the node shuts down (checked first, spec
   *     §6.4), else {@code pastSunset} after the sunset
   */
  public void checkExchange(Rule pastSunset) {
    checkNotDraining();
    if (pastSunset()) {
      throw new RuleViolation(pastSunset, sunsetMessage(pastSunset));
    }
  }

  private String sunsetMessage(Rule rule) {
    String closed = rule == Rule.PAST_SUNSET ? "exchange is closed" : "operator matching is closed";
    return "the federation agreement ended on " + sunsetDate + "; " + closed;
  }
}
