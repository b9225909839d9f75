package org.fedtrace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine is while a harness runs, printed with its figures: the load averages, and
 * how many cores a busy loop obtains (what other processes leave to this one).
 */
final class MachineLoad {
  private MachineLoad() {}

  /** The 1-, 5- and 15-minute load averages of the machine. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /**
   * What a busy loop on every processor obtains in {@code millis}, as a clause to append to a line;
   * empty when {@code millis} is 0 or less.
   */
  static String probe(int millis) throws InterruptedException {
    if (millis <= 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "; a busy loop on %d threads obtains %.2f cores",
        CpuMeter.cores(),
        CpuMeter.coresObtained(millis));
  }
}
