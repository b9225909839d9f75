package org.fedtrace.sim.scenario;

/** A scenario file that cannot be read or has an invalid value; the message names the field. */
public final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An invalid scenario; {@code message} names the source and the field. */
  public ScenarioException(String message) {
    super(message);
  }

  /** A scenario that could not be read or parsed. */
  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }
}
