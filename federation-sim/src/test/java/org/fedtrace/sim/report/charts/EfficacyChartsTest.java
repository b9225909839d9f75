package org.fedtrace.sim.report.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.fedtrace.sim.counterfactual.Scheme;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.report.Efficacy;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfficacyChartsTest {
  private static final int AGENTS = 10_000;

  /** One outcome per scheme, each with figures of its own, so that a swap would show. */
  private static Efficacy efficacy() {
    List<SchemeOutcome> schemes = new ArrayList<>();
    Scheme[] all = Scheme.values();
    for (int i = 0; i < all.length; i++) {
      long[] byDay = {10 + i, 20 + 2L * i, 15 + 3L * i, 5 + i};
      long infections = Arrays.stream(byDay).sum();
      schemes.add(
          new SchemeOutcome(
              all[i],
              i * 7L,
              infections,
              0,
              i * 100L,
              0.5,
              0.25,
              i * 90L,
              i * 80L,
              i * 1_000L + 1,
              0,
              byDay));
    }
    long none = schemes.get(0).infections();
    return new Efficacy(
        schemes.stream().map(o -> o.withAverted(none)).toList(), 1.5, List.of(), 1e-25);
  }

  @Test
  void theCurvesCarryEverySchemesNewInfectionsPerDay() {
    Efficacy e = efficacy();
    XYDataset data = ((XYPlot) EfficacyCharts.curves(e).getPlot()).getDataset();
    assertEquals(Scheme.values().length, data.getSeriesCount());
    for (int s = 0; s < data.getSeriesCount(); s++) {
      SchemeOutcome o = e.schemes().get(s);
      assertEquals(o.scheme().label(), data.getSeriesKey(s));
      long[] byDay = new long[data.getItemCount(s)];
      for (int d = 0; d < byDay.length; d++) {
        assertEquals(d, data.getXValue(s, d));
        byDay[d] = (long) data.getYValue(s, d);
      }
      assertArrayEquals(o.infectionsByDay(), byDay, o.scheme().label());
    }
  }

  @Test
  void theScatterHasOneLabelledPointPerSchemeAtItsLeakageAndAvertedInfections() {
    Efficacy e = efficacy();
    JFreeChart chart = EfficacyCharts.avertedVsLeakage(e, AGENTS);
    XYPlot plot = (XYPlot) chart.getPlot();
    XYDataset data = plot.getDataset();
    assertEquals(Scheme.values().length, data.getSeriesCount());
    for (int s = 0; s < data.getSeriesCount(); s++) {
      SchemeOutcome o = e.schemes().get(s);
      assertEquals(o.scheme().label(), data.getSeriesKey(s));
      assertEquals(1, data.getItemCount(s));
      assertEquals((double) o.learnedAbout() / AGENTS, data.getXValue(s, 0), 1e-12);
      assertEquals(o.averted(), data.getYValue(s, 0));
      // the label drawn beside the point names the scheme and its averted infections
      assertEquals(
          o.scheme().label() + " (" + o.averted() + ")",
          plot.getRenderer().getItemLabelGenerator(s, 0).generateLabel(data, s, 0));
      assertEquals(true, plot.getRenderer().isItemLabelVisible(s, 0));
    }
  }

  @Test
  void pointsOnTopOfEachOtherGetTheirLabelsOnDifferentSides() {
    XYSeriesCollection data = new XYSeriesCollection();
    double[][] points = {{0, 0}, {0.0026, 101}, {0.0026, 101}, {0.0023, 98}, {1, 1223}, {0.5, 98}};
    for (int i = 0; i < points.length; i++) {
      XYSeries s = new XYSeries("s" + i);
      s.add(points[i][0], points[i][1]);
      data.addSeries(s);
    }

    // the three apps-like points share a spot: right, above, below; the others stand alone
    assertArrayEquals(new int[] {0, 0, 1, 2, 0, 0}, EfficacyCharts.labelSlots(data));
  }

  @Test
  void bothChartsAreWrittenAsPngImages(@TempDir Path dir) throws IOException {
    Charts.writeEfficacy(efficacy(), AGENTS, dir);
    for (String file : EfficacyCharts.FILES) {
      Path png = dir.resolve(file);
      byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, file);
      assertEquals(900, image.getWidth(), file);
      assertEquals(500, image.getHeight(), file);
    }
  }
}
