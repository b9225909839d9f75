package org.fedtrace.sim.report;

import java.util.Locale;
import org.fedtrace.sim.metrics.Accuracy;
import org.fedtrace.sim.report.charts.Charts;

/** report.md: the summary table, the charts, the definitions and the scenario that ran. */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  /** The Markdown text of {@code r}; {@code scenarioYaml} is the complete scenario. */
  public static String write(Report r, String scenarioYaml) {
    StringBuilder md = new StringBuilder();
    Report.Run run = r.run();
    md.append("# fedtrace simulation report\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Scenario %s, seed %d: %,d people in %d countries (%s) for %d days from %s; %s"
                + " topology, %s matching, token scheme %s. Wall time %.1f s.%n%n",
            run.scenarioSource(),
            run.seed(),
            run.agents(),
            run.countries().size(),
            abbreviate(String.join(", ", run.countries())),
            run.days(),
            run.startDate(),
            run.topology(),
            run.matching(),
            run.tokenScheme(),
            r.throughput().wallSeconds()));
    md.append(
        "Every figure except the timings (wall time and rates) is determined by the seed and the"
            + " scenario. Definitions are below; `report.json` has the same figures.\n\n");
    summary(md, r);
    if (r.efficacy() != null) {
      EfficacyMarkdown.write(md, r.efficacy());
    }
    operations(md, r);
    truth(md, r.truth());
    md.append("## Charts\n\n");
    for (String file : Charts.files(r)) {
      md.append("![").append(file).append("](").append(file).append(")\n\n");
    }
    md.append("## Definitions\n\n");
    for (Definitions.Definition d : Definitions.ALL) {
      md.append("- **`").append(d.name()).append("`**: ").append(d.text()).append("\n");
    }
    md.append("\n## Scenario\n\nThe complete scenario (also in `scenario.yaml`):\n\n```yaml\n");
    md.append(scenarioYaml).append("```\n");
    return md.toString();
  }

  private static void summary(StringBuilder md, Report r) {
    md.append("## Summary\n\n");
    md.append("| figure | ")
        .append(r.run().tokenScheme())
        .append(" (this run) | central baseline |\n");
    md.append("|---|---:|---:|\n");
    Report.Scheme a = r.main();
    Report.Scheme b = r.central();
    row(md, "index cases", a.indexCases(), b.indexCases());
    Accuracy x = a.accuracy();
    Accuracy y = b.accuracy();
    row(md, "true_exposures", x.trueExposures(), y.trueExposures());
    row(md, "notified", x.notified(), y.notified());
    row(md, "true_positives", x.truePositives(), y.truePositives());
    row(md, "precision", x.precision(), y.precision());
    row(md, "recall", x.recall(), y.recall());
    row(
        md,
        "cross_border_notification_p50_hours",
        a.latency().crossBorderP50Hours(),
        b.latency().crossBorderP50Hours());
    row(
        md,
        "cross_border_notification_p99_hours",
        a.latency().crossBorderP99Hours(),
        b.latency().crossBorderP99Hours());
    row(
        md,
        "cross-border notification pairs",
        a.latency().crossBorderNotifications(),
        b.latency().crossBorderNotifications());
    Report.Privacy p = a.privacy();
    Report.Privacy q = b.privacy();
    row(md, "non_diagnosed_keys_shared", p.nonDiagnosedKeysShared(), q.nonDiagnosedKeysShared());
    row(md, "uploader_anonymity_set_min", p.uploaderAnonymitySetMin(), q.uploaderAnonymitySetMin());
    row(md, "uploader_people_min", p.uploaderPeopleMin(), q.uploaderPeopleMin());
    row(md, "tek_linkage_advantage", p.tekLinkageAdvantage(), q.tekLinkageAdvantage());
    row(md, "sniffer_tracking_success", p.snifferTrackingSuccess(), q.snifferTrackingSuccess());
    row(md, "operator_learns_exposures", p.operatorLearnsExposures(), q.operatorLearnsExposures());
    row(
        md,
        "people_whose_data_left_home",
        p.peopleWhoseDataLeftHome(),
        q.peopleWhoseDataLeftHome());
    md.append("\n");
  }

  private static void operations(StringBuilder md, Report r) {
    Report.Throughput t = r.throughput();
    md.append("## Throughput and traffic\n\n| figure | value |\n|---|---:|\n");
    single(md, "rpis_matched_per_second", t.rpisMatchedPerSecond());
    single(md, "keys_exchanged_per_second", t.keysExchangedPerSecond());
    single(md, "rpis_matched", t.rpisMatched());
    single(md, "keys_exchanged", t.keysExchanged());
    single(md, "matching_seconds", t.matchingSeconds());
    single(md, "exchange_seconds", t.exchangeSeconds());
    single(md, "wall_seconds", t.wallSeconds());
    single(md, "bytes_per_node_per_day", r.traffic().bytesPerNodePerDay());
    single(md, "max_bytes_per_node_per_day", r.traffic().maxBytesPerNodePerDay());
    Report.Downloads d = r.downloads();
    if (d != null) {
      md.append("| downloads.phones_match | ").append(d.phonesMatch()).append(" |\n");
      single(md, "downloads.bytes_per_phone_per_day", d.bytesPerPhonePerDay());
      single(md, "downloads.latency.export_p50_hours", d.latency().exportP50Hours());
      single(md, "downloads.latency.export_p99_hours", d.latency().exportP99Hours());
      single(md, "downloads.latency.batch_p50_hours", d.latency().batchP50Hours());
      single(md, "downloads.latency.batch_p99_hours", d.latency().batchP99Hours());
      single(md, "downloads.latency.keys_delayed", d.latency().keysDelayed());
      single(md, "downloads.latency.added_max_hours", d.latency().addedMaxHours());
      single(md, "downloads.keys_not_exported", d.keysNotExported());
    }
    if (r.sharing() != null) {
      SharingTables.markdown(md, r.sharing());
    }
    md.append("\n");
  }

  private static void truth(StringBuilder md, Report.Truth t) {
    md.append("## Ground truth\n\n| count | value |\n|---|---:|\n");
    single(md, "contacts", t.contacts());
    single(md, "cross_border_contacts", t.crossBorderContacts());
    single(md, "contacts_per_person_day", t.contactsPerPersonDay());
    single(md, "observations (RPIs recorded by phones)", t.observations());
    single(md, "initial_infections", t.initialInfections());
    single(md, "infections (during the run)", t.infections());
    single(md, "diagnosed (during the run)", t.diagnosed());
    single(md, "uploaders", t.uploaders());
    single(md, "keys_uploaded", t.keysUploaded());
    single(md, "batches_published", t.batchesPublished());
    single(md, "keys_published (padding included)", t.keysPublished());
    single(md, "padding_keys", t.paddingKeys());
    single(md, "smallest_batch_keys", t.smallestBatchKeys());
    single(md, "false_matches_on_padding", t.falseMatchesOnPadding());
    md.append("\n");
  }

  private static void row(StringBuilder md, String name, double a, double b) {
    md.append("| `").append(name).append("` | ").append(fmt(a)).append(" | ").append(fmt(b));
    md.append(" |\n");
  }

  private static void single(StringBuilder md, String name, double v) {
    md.append("| ").append(name).append(" | ").append(fmt(v)).append(" |\n");
  }

  /** Whole numbers with thousands separators, others with three significant decimals. */
  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
