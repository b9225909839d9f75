package org.fedtrace.sim.report;

import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@value #FILE}: the relative error of each released family of counts against ε per day, the error
 * on a log scale (the statistics of transparency.md §16 on the run's ground truth).
 */
public final class DpErrorChart {
  /** The chart's file name in the report folder. */
  public static final String FILE = "dp_statistics_error_vs_epsilon.png";

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private DpErrorChart() {}

  /** Writes the chart of {@code e} into {@code dir}; nothing when the run released no count. */
  public static void write(DpError e, Path dir) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String family : new String[] {"ha_uploads", "ha_keys", "pair_batches", "pair_keys"}) {
      XYSeries s = new XYSeries(family);
      for (DpError.Row r : e.rows()) {
        if (r.family().equals(family) && r.relativeError() > 0) {
          s.add(Double.parseDouble(r.epsilon()), 100 * r.relativeError());
        }
      }
      if (s.getItemCount() > 0) {
        data.addSeries(s);
      }
    }
    if (data.getSeriesCount() == 0) {
      return;
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Released statistics: error against epsilon (discrete Laplace, "
                + e.repetitions()
                + " releases per day)",
            "epsilon per day",
            "sum |released - true| / sum true, %",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = (XYPlot) chart.getPlot();
    plot.setRenderer(new XYLineAndShapeRenderer(true, true));
    LogAxis y = new LogAxis("sum |released - true| / sum true, % (log scale)");
    y.setTickUnit(new NumberTickUnit(1));
    y.setNumberFormatOverride(new DecimalFormat("0.#"));
    plot.setRangeAxis(y);
    ChartUtils.saveChartAsPNG(dir.resolve(FILE).toFile(), chart, 900, 500);
  }
}
