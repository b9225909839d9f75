package org.fedtrace.sim.report;

import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The efficacy charts: every scheme's epidemic curve, and averted infections against leakage. */
final class EfficacyCharts {
  private EfficacyCharts() {}

  /** New infections per day, one line per scheme, on one chart. */
  static JFreeChart curves(Efficacy e) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (SchemeOutcome o : e.schemes()) {
      XYSeries s = new XYSeries(o.scheme().label());
      long[] days = o.infectionsByDay();
      for (int d = 0; d < days.length; d++) {
        s.add(d, days[d]);
      }
      data.addSeries(s);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "New infections per day under each scheme (same seed and population)",
            "simulated day",
            "new infections",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    ((XYPlot) chart.getPlot()).setRenderer(new XYLineAndShapeRenderer(true, true));
    return chart;
  }

  /**
   * One point per scheme: the share of the population its operator learns something about
   * (people_learned_about / agents) against the infections it averted.
   */
  static JFreeChart avertedVsLeakage(Efficacy e, int agents) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (SchemeOutcome o : e.schemes()) {
      XYSeries s = new XYSeries(o.scheme().label());
      s.add((double) o.learnedAbout() / agents, o.averted());
      data.addSeries(s);
    }
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            "Infections averted against what each scheme learns about people",
            "share of people the scheme's operator learns about",
            "infections averted (vs no tracing)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    ((XYPlot) chart.getPlot()).setRenderer(new XYLineAndShapeRenderer(false, true));
    return chart;
  }
}
