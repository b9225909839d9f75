package org.fedtrace.sim.metrics;

import java.util.Arrays;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Report;

/**
 * Notification latency: for every (notified person, index case) pair, simulated hours from the
 * index case's diagnosis to the person's first notification because of them; cross-border when the
 * two live in different countries.
 */
final class LatencyCollector {
  private final Population population;
  private final Epidemic epidemic;
  private long[] crossBorder = new long[64];
  private int crossCount;
  private long[] domestic = new long[64];
  private int domesticCount;

  LatencyCollector(Population population, Epidemic epidemic) {
    this.population = population;
    this.epidemic = epidemic;
  }

  void add(int agent, int indexCase, int hour) {
    long hours = (long) hour - epidemic.diagnosisHour(indexCase);
    if (population.home(agent) != population.home(indexCase)) {
      if (crossCount == crossBorder.length) {
        crossBorder = Arrays.copyOf(crossBorder, crossCount * 2);
      }
      crossBorder[crossCount++] = hours;
    } else {
      if (domesticCount == domestic.length) {
        domestic = Arrays.copyOf(domestic, domesticCount * 2);
      }
      domestic[domesticCount++] = hours;
    }
  }

  Report.Latency latency() {
    long[] cross = Arrays.copyOf(crossBorder, crossCount);
    long[] home = Arrays.copyOf(domestic, domesticCount);
    return new Report.Latency(
        Percentiles.nearestRank(cross, 50),
        Percentiles.nearestRank(cross, 99),
        crossCount,
        Percentiles.nearestRank(home, 50),
        domesticCount);
  }
}
