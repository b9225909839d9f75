package org.fedtrace.node;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The node's state (spec: node state machine): starting, serving, draining, stopped; and whether
 * the agreement's sunset has passed, which ends all exchange whatever the state.
 */
public final class Lifecycle {
  /** States of a node. */
  public enum State {
    STARTING,
    SERVING,
    DRAINING,
    STOPPED
  }

  private final LocalDate sunsetDate;
  private final Clock clock;
  private final boolean enforceSunset;
  private volatile State state = State.STARTING;

  /**
   * @param sunsetDate the agreement's last day of exchange (UTC)
   */
  public Lifecycle(LocalDate sunsetDate, Clock clock) {
    this(sunsetDate, clock, true);
  }

  Lifecycle(LocalDate sunsetDate, Clock clock, boolean enforceSunset) {
    this.sunsetDate = sunsetDate;
    this.clock = clock;
    this.enforceSunset = enforceSunset;
  }

  /** Current state. */
  public State state() {
    return state;
  }

  void moveTo(State next) {
    state = next;
  }

  /** True once the UTC date is after the agreement's sunset date. */
  public boolean pastSunset() {
    return enforceSunset
        && LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).isAfter(sunsetDate);
  }

  /** The agreement's sunset date. */
  public LocalDate sunsetDate() {
    return sunsetDate;
  }

  /**
   * Refuses a call while the node shuts down.
   *
   * @throws RuleViolation {@link Rule#DRAINING}
   */
  public void checkNotDraining() {
    if (state == State.DRAINING || state == State.STOPPED) {
      throw new RuleViolation(Rule.DRAINING, "the node is shutting down; retry with backoff");
    }
  }

  /**
   * Allows an exchange RPC or refuses it.
   *
   * @throws RuleViolation {@link Rule#DRAINING} while the node shuts down (checked first, spec
   *     §6.4), {@link Rule#PAST_SUNSET} after the sunset
   */
  public void checkExchange() {
    checkNotDraining();
    if (pastSunset()) {
      throw new RuleViolation(
          Rule.PAST_SUNSET,
          "the federation agreement ended on " + sunsetDate + "; exchange is closed");
    }
  }
}
