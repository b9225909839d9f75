package org.fedtrace.sim.report;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedtrace.sim.counterfactual.Scheme;
import org.fedtrace.sim.counterfactual.SchemeOutcome;
import org.fedtrace.sim.metrics.Accuracy;

/** The short summary {@code fedtrace simulate} prints at the end of a run. */
public final class Summary {
  private Summary() {}

  /** Prints the summary of {@code r}, whose Markdown report is {@code md}. */
  public static void print(PrintWriter out, Report r, Path md) {
    Report.Run run = r.run();
    Report.Truth t = r.truth();
    Report.Scheme a = r.main();
    Report.Scheme c = r.central();
    out.printf(
        Locale.ROOT,
        "%s run: %,d people, %d countries, %d days, seed %d, %s topology, %s matching%n",
        run.tokenScheme(),
        run.agents(),
        run.countries().size(),
        run.days(),
        run.seed(),
        run.topology(),
        run.matching());
    line(out, "wall time", String.format(Locale.ROOT, "%.1f s", r.throughput().wallSeconds()));
    line(
        out,
        "epidemic",
        String.format(
            Locale.ROOT,
            "%,d infections, %,d diagnosed, %,d uploaded %,d keys in %,d batches",
            t.infections(),
            t.diagnosed(),
            t.uploaders(),
            t.keysUploaded(),
            t.batchesPublished()));
    List<SchemeOutcome> schemes = r.efficacy() == null ? List.of() : r.efficacy().schemes();
    for (SchemeOutcome o : schemes) {
      if (o.scheme() == Scheme.NONE) {
        line(out, "no tracing", String.format(Locale.ROOT, "%,d infections", o.infections()));
        continue;
      }
      line(
          out,
          "averted " + o.scheme().label(),
          String.format(
              Locale.ROOT,
              "%,d   (notified %,d, quarantined %,d, learns of %,d people)",
              o.averted(),
              o.notified(),
              o.quarantined(),
              o.learnedAbout()));
    }
    line(
        out,
        "precision / recall",
        pr(a.accuracy()) + "   (central baseline " + pr(c.accuracy()) + ")");
    line(
        out,
        "cross-border latency",
        String.format(
            Locale.ROOT,
            "p50 %s h, p99 %s h over %,d notifications",
            num(a.latency().crossBorderP50Hours()),
            num(a.latency().crossBorderP99Hours()),
            a.latency().crossBorderNotifications()));
    line(
        out,
        "non-diagnosed shared",
        String.format(
            Locale.ROOT,
            "%,d   (central baseline %,d)",
            a.privacy().nonDiagnosedKeysShared(),
            c.privacy().nonDiagnosedKeysShared()));
    line(
        out,
        "movements tracked",
        num(a.privacy().snifferTrackingSuccess())
            + "   (central baseline "
            + num(c.privacy().snifferTrackingSuccess())
            + ")");
    line(
        out,
        "throughput",
        String.format(
            Locale.ROOT,
            "%,.0f RPIs matched/s, %,.0f keys exchanged/s",
            r.throughput().rpisMatchedPerSecond(),
            r.throughput().keysExchangedPerSecond()));
    out.println("report: " + md + " (report.json, scenario.yaml and charts beside it)");
    out.flush();
  }

  private static void line(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "  %-22s %s%n", name, value);
  }

  private static String pr(Accuracy a) {
    return num(a.precision()) + " / " + num(a.recall());
  }

  private static String num(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
