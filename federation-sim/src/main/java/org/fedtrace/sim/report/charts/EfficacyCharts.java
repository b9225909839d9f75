package org.fedtrace.sim.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.List;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.report.Efficacy;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
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

  /**
   * Where a label goes beside its point: right, above, below, left (for points on top of others).
   */
  private static final List<ItemLabelPosition> LABEL_POSITIONS =
      List.of(
          new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT),
          new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_LEFT),
          new ItemLabelPosition(ItemLabelAnchor.OUTSIDE6, TextAnchor.TOP_LEFT),
          new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));

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
    int[] slot = labelSlots(data);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      ItemLabelPosition at = LABEL_POSITIONS.get(slot[s] % LABEL_POSITIONS.size());
      points.setSeriesPositiveItemLabelPosition(s, at);
      points.setSeriesNegativeItemLabelPosition(s, at);
      points.setSeriesShape(s, new Ellipse2D.Double(-5, -5, 10, 10));
    }
    XYPlot plot = (XYPlot) chart.getPlot();
    plot.setRenderer(points);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    // room for the labels, which extend to the right of their points
    plot.getDomainAxis().setUpperMargin(0.25);
    plot.getDomainAxis().setLowerMargin(0.03);
    plot.getRangeAxis().setUpperMargin(0.1);
    plot.getRangeAxis().setLowerMargin(0.1);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false); // the margin below 0 too
    return chart;
  }

  /**
   * For each series, the index of its label position: 0 unless its point lies within 3 % of the
   * axes' spans of an earlier series' point, then the next position free among those near it, so
   * that schemes with (nearly) the same figures, as the apps and fedtrace often have, stay legible.
   */
  static int[] labelSlots(XYSeriesCollection data) {
    int n = data.getSeriesCount();
    double xSpan =
        Math.max(
            1e-12, data.getDomainUpperBound(false) - Math.min(0, data.getDomainLowerBound(false)));
    double ySpan =
        Math.max(
            1e-12, data.getRangeUpperBound(false) - Math.min(0, data.getRangeLowerBound(false)));
    int[] slot = new int[n];
    for (int s = 0; s < n; s++) {
      int taken = 0;
      for (int t = 0; t < s; t++) {
        boolean near =
            Math.abs(data.getXValue(s, 0) - data.getXValue(t, 0)) <= 0.03 * xSpan
                && Math.abs(data.getYValue(s, 0) - data.getYValue(t, 0)) <= 0.03 * ySpan;
        if (near) {
          taken |= 1 << slot[t];
        }
      }
      while ((taken & (1 << slot[s])) != 0) {
        slot[s]++;
      }
    }
    return slot;
  }

  /** The label of scheme {@code series}'s point: its name and the infections it averted. */
  static String label(Efficacy e, int series) {
    SchemeOutcome o = e.schemes().get(series);
    return o.scheme().label() + " (" + o.averted() + ")";
  }
}
