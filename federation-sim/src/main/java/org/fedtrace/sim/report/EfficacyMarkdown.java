package org.fedtrace.sim.report;

import java.util.Locale;
import org.fedtrace.sim.counterfactual.CameraSweep;
import org.fedtrace.sim.counterfactual.SchemeOutcome;

/** The efficacy section of report.md: every scheme on the same seed and population. */
final class EfficacyMarkdown {
  private EfficacyMarkdown() {}

  static void write(StringBuilder md, Efficacy e) {
    md.append("## Efficacy: every scheme on the same seed and population\n\n");
    md.append(
        "| scheme | index cases | infections | averted | notified | precision | recall"
            + " | quarantined | without cause | people learned about | what it learns |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (SchemeOutcome o : e.schemes()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %,d | %,d | %s | %s | %,d | %,d | %,d | %s |%n",
              o.scheme().label(),
              o.indexCases(),
              o.infections(),
              o.averted(),
              o.notified(),
              num(o.precision()),
              num(o.recall()),
              o.quarantined(),
              o.quarantinedWithoutCause(),
              o.learnedAbout(),
              o.scheme().learns()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nFalse matches: the camera scheme made %,d in this run. As the watched population"
                + " grows, at %.2f searches a day:%n%n",
            e.schemes().get(e.schemes().size() - 1).falseMatches(),
            e.cameraSearchesPerDay()));
    md.append("| watched people | expected per day | drawn per day |\n|---:|---:|---:|\n");
    for (CameraSweep.Point p : e.cameraSweep()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.2f | %.2f |%n",
              p.watched(),
              p.expectedPerDay(),
              p.measuredPerDay()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nfedtrace's 128-bit tokens: %.1e false matches expected over the whole run.%n%n",
            e.fedtraceFalseMatches()));
  }

  static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
  }
}
