package org.fedtrace.sim.report.charts;

import java.awt.BasicStroke;
import java.awt.Font;
import java.util.List;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.report.Efficacy;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The efficacy charts: every scheme's epidemic curve on one chart, and infections averted against
 * leakage, one labelled point per scheme (the trade-off a minister would look at). Each series is
 * keyed by the scheme's label ({@code none}, {@code manual}, ... as in report.json).
 */
public final class EfficacyCharts {
  /** File name of the epidemic curves. */
  public static final String CURVES = "infections_per_day_by_scheme.png";

  /** File name of averted infections against leakage. */
  public static final String AVERTED_VS_LEAKAGE = "averted_vs_leakage.png";

  /** The two files, in report order. */
  public static final List<String> FILES = List.of(CURVES, AVERTED_VS_LEAKAGE);

  private EfficacyCharts() {}

  /** New infections per simulated day, one line per scheme, on one chart. */
  public static JFreeChart curves(Efficacy e) {
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
            "New infections per day under each scheme (same seed, population and contacts)",
            "simulated day",
            "new infections",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      lines.setSeriesStroke(s, new BasicStroke(2f));
    }
    ((XYPlot) chart.getPlot()).setRenderer(lines);
    return chart;
  }

  /**
   * One point per scheme, labelled with its name: the share of the population the scheme's operator
   * learns something about ({@code people_learned_about / agents}) across, the infections it
   * averted relative to no tracing up.
   */
  public static JFreeChart avertedVsLeakage(Efficacy e, int agents) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (SchemeOutcome o : e.schemes()) {
      XYSeries s = new XYSeries(o.scheme().label());
      s.add((double) o.learnedAbout() / agents, o.averted());
      data.addSeries(s);
    }
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            "Infections averted against what each scheme learns about people",
            "share of the population the scheme's operator learns something about",
            "infections averted (against no tracing)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
    points.setDefaultItemLabelGenerator((dataset, series, item) -> label(e, series));
    points.setDefaultItemLabelsVisible(true);
    points.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    points.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
    points.setDefaultNegativeItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
    XYPlot plot = (XYPlot) chart.getPlot();
    plot.setRenderer(points);
    // room for the labels of the points at the edges
    plot.getDomainAxis().setUpperMargin(0.12);
    plot.getDomainAxis().setLowerMargin(0.05);
    plot.getRangeAxis().setUpperMargin(0.12);
    return chart;
  }

  /** The label of scheme {@code series}'s point: its name and the infections it averted. */
  static String label(Efficacy e, int series) {
    SchemeOutcome o = e.schemes().get(series);
    return o.scheme().label() + " (" + o.averted() + ")";
  }
}
