package org.fedtrace.sim;

/**
 * Where a run is, for the terminal.
 *
 * @param phase what the simulator is doing (setup, simulate, drain, measure, report)
 * @param day simulated days completed
 * @param days simulated days in the run
 * @param daysPerSecond simulated days per wall-clock second so far (0 before the first day)
 * @param secondsLeft estimated wall-clock seconds until the last simulated day is done (-1 when
 *     unknown)
 */
public record Progress(String phase, int day, int days, double daysPerSecond, double secondsLeft) {
  /** Receives progress reports; called on the simulator's thread. */
  @FunctionalInterface
  public interface Listener {
    /** A new progress report. */
    void update(Progress progress);
  }
}
