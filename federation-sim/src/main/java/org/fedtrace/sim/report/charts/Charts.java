package org.fedtrace.sim.report.charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.fedtrace.sim.report.Efficacy;
import org.fedtrace.sim.report.Report;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG charts, drawn with JFreeChart without a display. */
public final class Charts {
  /** File names of the charts, in report order. */
  public static final List<String> FILES =
      List.of(
          "infections_per_day.png",
          "notifications_per_day.png",
          "leakage_federated_vs_central.png",
          "throughput_per_day.png",
          EfficacyCharts.CURVES,
          EfficacyCharts.AVERTED_VS_LEAKAGE);

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;
  private static final int MAX_SERIES = 10;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Writes every chart of {@code r} into {@code dir}. */
  public static void write(Report r, Path dir) throws IOException {
    List<String> countries = r.run().countries();
    save(
        dir.resolve(FILES.get(0)),
        perDay(
            "New infections per day by home country",
            "infections",
            r.perDay().infections(),
            countries));
    save(
        dir.resolve(FILES.get(1)),
        perDay(
            "People first notified per day by home country (last point: drain)",
            "people notified",
            r.perDay().notifications(),
            countries));
    save(dir.resolve(FILES.get(2)), leakage(r));
    save(dir.resolve(FILES.get(3)), throughput(r.perDay()));
    if (r.efficacy() == null) {
      return;
    }
    writeEfficacy(r.efficacy(), r.run().agents(), dir);
  }

  /**
   * Writes the two efficacy charts ({@link EfficacyCharts#FILES}) of {@code e} into {@code dir}.
   */
  public static void writeEfficacy(Efficacy e, int agents, Path dir) throws IOException {
    save(dir.resolve(EfficacyCharts.CURVES), EfficacyCharts.curves(e));
    save(
        dir.resolve(EfficacyCharts.AVERTED_VS_LEAKAGE), EfficacyCharts.avertedVsLeakage(e, agents));
  }

  /** The charts {@link #write} writes for {@code r}: without counterfactuals, the first four. */
  public static List<String> files(Report r) {
    return r.efficacy() == null ? FILES.subList(0, 4) : FILES;
  }

  private static void save(Path file, JFreeChart chart) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  private static JFreeChart perDay(
      String title, String axis, int[][] values, List<String> countries) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, countries.size()).boxed().toList());
    order.sort(Comparator.comparingLong((Integer c) -> -total(values, c)).thenComparing(c -> c));
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries other = new XYSeries("other countries");
    for (int rank = 0; rank < order.size(); rank++) {
      int c = order.get(rank);
      XYSeries s = rank < MAX_SERIES ? new XYSeries(countries.get(c)) : null;
      for (int d = 0; d < values.length; d++) {
        if (s != null) {
          s.add(d, values[d][c]);
        } else {
          int index = other.indexOf(d);
          double before = index < 0 ? 0 : other.getY(index).doubleValue();
          other.addOrUpdate(d, before + values[d][c]);
        }
      }
      if (s != null) {
        data.addSeries(s);
      }
    }
    if (other.getItemCount() > 0) {
      data.addSeries(other);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "simulated day", axis, data, PlotOrientation.VERTICAL, true, false, false);
    ((XYPlot) chart.getPlot()).setRenderer(new XYLineAndShapeRenderer(true, true));
    return chart;
  }

  private static long total(int[][] values, int c) {
    long t = 0;
    for (int[] day : values) {
      t += day[c];
    }
    return t;
  }

  private static JFreeChart leakage(Report r) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    add(data, "federated (fedtrace)", r.main().privacy(), r.run().agents());
    add(data, "central baseline", r.central().privacy(), r.run().agents());
    JFreeChart chart =
        ChartFactory.createBarChart(
            "What each scheme leaks (same population and seed)",
            null,
            "share (0..1)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelLines(3);
    return chart;
  }

  private static void add(DefaultCategoryDataset d, String scheme, Report.Privacy p, int agents) {
    d.addValue(
        (double) p.peopleWhoseDataLeftHome() / agents, scheme, "people whose data left home");
    d.addValue(p.snifferTrackingSuccess(), scheme, "diagnosed people tracked");
    d.addValue(
        (double) p.operatorLearnsExposures() / agents, scheme, "people whose exposure is known");
    d.addValue(p.tekLinkageAdvantage(), scheme, "day-to-day linkage advantage");
    int set = p.uploaderAnonymitySetMin();
    d.addValue(set == 0 ? 0 : 1.0 / set, scheme, "1 / smallest uploader anonymity set");
  }

  private static JFreeChart throughput(Report.PerDay p) {
    XYSeries rpis = new XYSeries("RPIs matched per second");
    XYSeries keys = new XYSeries("keys exchanged per second");
    for (int d = 0; d < p.rpisMatchedPerSecond().length; d++) {
      rpis.add(d, p.rpisMatchedPerSecond()[d]);
      keys.add(d, p.keysExchangedPerSecond()[d]);
    }
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("simulated day"));
    plot.add(new XYPlot(new XYSeriesCollection(rpis), null, new NumberAxis("RPIs / s"), line()));
    plot.add(new XYPlot(new XYSeriesCollection(keys), null, new NumberAxis("keys / s"), line()));
    return new JFreeChart(
        "Throughput per simulated day (wall clock; last point: drain)",
        JFreeChart.DEFAULT_TITLE_FONT,
        plot,
        true);
  }

  private static XYLineAndShapeRenderer line() {
    return new XYLineAndShapeRenderer(true, true);
  }
}
