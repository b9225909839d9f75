package org.fedtrace.export;

/**
 * What the last export run published: the end of its hourly window, the store position it cut the
 * window at, and the end of the last day it published a daily file for.
 */
record ExportState(long windowEnd, long position, long dayEnd) {
  /** The line this state is stored as. */
  String line() {
    return windowEnd + " " + position + " " + dayEnd + "\n";
  }

  /**
   * The state a line holds.
   *
   * @throws IllegalArgumentException if the line is not one
   */
  static ExportState parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length != 3) {
      throw new IllegalArgumentException(
          "expected 'windowEnd position dayEnd', got '" + line + "'");
    }
    return new ExportState(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
  }
}
