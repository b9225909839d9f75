package org.fedtrace.export;

/**
 * What the last export run published: the end of its hourly window, the store position it cut the
 * window at, the end of the last day it published a daily file for, and the id of the last
 * domestic-only key it read (R25.14).
 */
record ExportState(long windowEnd, long position, long dayEnd, long domesticId) {
  /** The line this state is stored as. */
  String line() {
    return windowEnd + " " + position + " " + dayEnd + " " + domesticId + "\n";
  }

  /**
   * The state a line holds. A line of three fields was written before exports held domestic-only
   * keys: it read none, so its domestic id is 0 and the next window releases every domestic-only
   * key that became releasable by its end.
   *
   * @throws IllegalArgumentException if the line is not one
   */
  static ExportState parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length != 3 && f.length != 4) {
      throw new IllegalArgumentException(
          "expected 'windowEnd position dayEnd [domesticId]', got '" + line + "'");
    }
    return new ExportState(
        Long.parseLong(f[0]),
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        f.length == 4 ? Long.parseLong(f[3]) : 0);
  }
}
