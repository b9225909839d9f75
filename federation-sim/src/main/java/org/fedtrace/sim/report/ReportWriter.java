package org.fedtrace.sim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedtrace.sim.report.charts.Charts;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioWriter;

/**
 * Writes a report folder: report.json, report.md, scenario.yaml (the complete scenario that ran)
 * and the charts. Existing files of those names are replaced; nothing else is touched.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /**
   * Writes the report of a run of {@code scenario} into {@code dir}, creating it if needed.
   *
   * @return the path of report.md
   */
  public static Path write(Report report, Scenario scenario, Path dir) throws IOException {
    Files.createDirectories(dir);
    String yaml = ScenarioWriter.write(scenario);
    Files.writeString(dir.resolve("scenario.yaml"), yaml, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("report.json"), ReportJson.write(report, scenario), StandardCharsets.UTF_8);
    Charts.write(report, dir);
    DpErrorChart.write(report.dpStatistics(), dir);
    Path md = dir.resolve("report.md");
    Files.writeString(md, ReportMarkdown.write(report, yaml), StandardCharsets.UTF_8);
    return md;
  }
}
