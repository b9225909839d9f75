package org.fedtrace.sim;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a simulation's progress on stderr: one line rewritten in place on a terminal, one line per
 * report otherwise (logs and pipes).
 */
public final class ProgressLine implements Progress.Listener {
  private final PrintWriter err;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private int width;

  /**
   * Progress on {@code err}.
   *
   * @param terminal whether {@code err} is a terminal (rewrite one line in place)
   */
  public ProgressLine(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void update(Progress p) {
    String text;
    if (p.phase().equals("simulate")) {
      text =
          String.format(
              Locale.ROOT,
              "simulate: day %d/%d, %.2f simulated days/s, about %.0f s left",
              p.day(),
              p.days(),
              p.daysPerSecond(),
              Math.max(0, p.secondsLeft()));
    } else {
      text =
          p.phase()
              + (p.phase().equals("drain") ? ": publishing and matching the last uploads" : "");
    }
    show(text);
  }

  /** A phase after the simulation proper (measure, report). */
  public void phase(String name) {
    show(name + "...");
  }

  /** Ends the progress display. */
  public void finish() {
    String text = String.format(Locale.ROOT, "done in %.1f s", (System.nanoTime() - started) / 1e9);
    show(text);
    if (terminal) {
      err.println();
    }
    err.flush();
  }

  private void show(String text) {
    String line = "fedtrace simulate: " + text;
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      err.println(line);
    }
    err.flush();
  }
}
