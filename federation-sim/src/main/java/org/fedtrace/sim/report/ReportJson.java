package org.fedtrace.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.fedtrace.sim.metrics.Accuracy;
import org.fedtrace.sim.scenario.Scenario;

/** report.json: the figures under the field names of issue 5, plus a few more. */
public final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The JSON text of {@code r} for scenario {@code s}. */
  public static String write(Report r, Scenario s) {
    ObjectNode root = JSON.createObjectNode();
    Report.Run run = r.run();
    root.put("seed", run.seed());
    root.put("agents", run.agents());
    root.put("days", run.days());
    root.set("countries", strings(run.countries()));
    root.put("topology", run.topology());
    root.put("matching", run.matching());
    root.put("token_scheme", run.tokenScheme());
    root.put("start_date", run.startDate());
    root.put("scenario", run.scenarioSource());
    root.set("throughput", throughput(r.throughput()));
    scheme(root, r.main());
    root.set("traffic", traffic(r.traffic(), run.countries()));
    if (r.downloads() != null) {
      root.set("downloads", downloads(r.downloads()));
    }
    if (r.sharing() != null) {
      root.set("sharing", SharingTables.json(r.sharing()));
    }
    ObjectNode central = root.putObject("baseline_central");
    scheme(central, r.central());
    root.set("ground_truth", truth(r.truth()));
    root.set("federation", federation(s));
    root.set("per_day", perDay(r.perDay(), run.countries()));
    if (r.efficacy() != null) {
      root.set("efficacy", EfficacyJson.write(r.efficacy()));
    }
    root.set("dp_statistics", dpStatistics(r.dpStatistics()));
    ObjectNode defs = root.putObject("definitions");
    Definitions.ALL.forEach(d -> defs.put(d.name(), d.text()));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  private static ObjectNode dpStatistics(DpError e) {
    ObjectNode out = JSON.createObjectNode();
    out.put(
        "definition",
        "error of the node's differentially private statistics (spec transparency.md section 16)"
            + " on this run's true counts: per health authority (one per country) and day, uploads"
            + " and keys; per country pair and day, batches and keys; each day released"
            + " 'repetitions' times at each epsilon per day with the node's discrete Laplace"
            + " mechanism; mean_absolute_error = mean |released - true| per cell-day,"
            + " expected_absolute_error = E|noise|, relative_error = sum |released - true| / sum"
            + " true");
    out.put("repetitions", e.repetitions());
    ArrayNode rows = out.putArray("sweep");
    for (DpError.Row r : e.rows()) {
      ObjectNode row = rows.addObject();
      row.put("epsilon", r.epsilon());
      row.put("family", r.family());
      row.put("cell_days", r.cells());
      row.put("true_total", r.trueTotal());
      row.put("mean_absolute_error", r.meanAbsoluteError());
      row.put("expected_absolute_error", r.expectedAbsoluteError());
      if (Double.isNaN(r.relativeError())) {
        row.putNull("relative_error");
      } else {
        row.put("relative_error", r.relativeError());
      }
    }
    return out;
  }

  private static void scheme(ObjectNode node, Report.Scheme s) {
    node.put("index_cases", s.indexCases());
    node.set("accuracy", accuracy(s.accuracy()));
    node.set("latency", latency(s.latency()));
    node.set("privacy", privacy(s.privacy()));
  }

  private static ObjectNode throughput(Report.Throughput t) {
    ObjectNode n = JSON.createObjectNode();
    number(n, "rpis_matched_per_second", t.rpisMatchedPerSecond());
    number(n, "keys_exchanged_per_second", t.keysExchangedPerSecond());
    number(n, "wall_seconds", t.wallSeconds());
    n.put("rpis_matched", t.rpisMatched());
    n.put("keys_exchanged", t.keysExchanged());
    number(n, "matching_seconds", t.matchingSeconds());
    number(n, "exchange_seconds", t.exchangeSeconds());
    return n;
  }

  private static ObjectNode accuracy(Accuracy a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("true_exposures", a.trueExposures());
    n.put("notified", a.notified());
    n.put("true_positives", a.truePositives());
    number(n, "precision", a.precision());
    number(n, "recall", a.recall());
    return n;
  }

  private static ObjectNode latency(Report.Latency l) {
    ObjectNode n = JSON.createObjectNode();
    number(n, "cross_border_notification_p50_hours", l.crossBorderP50Hours());
    number(n, "cross_border_notification_p99_hours", l.crossBorderP99Hours());
    n.put("cross_border_notifications", l.crossBorderNotifications());
    number(n, "domestic_notification_p50_hours", l.domesticP50Hours());
    n.put("domestic_notifications", l.domesticNotifications());
    return n;
  }

  private static ObjectNode traffic(Report.Traffic t, List<String> countries) {
    ObjectNode n = JSON.createObjectNode();
    number(n, "bytes_per_node_per_day", t.bytesPerNodePerDay());
    number(n, "max_bytes_per_node_per_day", t.maxBytesPerNodePerDay());
    ObjectNode by = n.putObject("bytes_per_day_by_country");
    for (int c = 0; c < countries.size(); c++) {
      number(by, countries.get(c), t.byCountry().get(c));
    }
    return n;
  }

  private static ObjectNode downloads(Report.Downloads d) {
    ObjectNode n = JSON.createObjectNode();
    number(n, "bytes_per_phone_per_day", d.bytesPerPhonePerDay());
    n.put("download_interval_hours", d.fetchIntervalHours());
    n.put("phones_match", d.phonesMatch());
    ObjectNode l = n.putObject("latency");
    number(l, "export_p50_hours", d.latency().exportP50Hours());
    number(l, "export_p99_hours", d.latency().exportP99Hours());
    number(l, "batch_p50_hours", d.latency().batchP50Hours());
    number(l, "batch_p99_hours", d.latency().batchP99Hours());
    l.put("keys", d.latency().keys());
    l.put("keys_delayed", d.latency().keysDelayed());
    l.put("added_max_hours", d.latency().addedMaxHours());
    n.put("keys_not_exported", d.keysNotExported());
    return n;
  }

  private static ObjectNode privacy(Report.Privacy p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("non_diagnosed_keys_shared", p.nonDiagnosedKeysShared());
    n.put("uploader_anonymity_set_min", p.uploaderAnonymitySetMin());
    n.put("uploader_anonymity_set_median", p.uploaderAnonymitySetMedian());
    n.put("uploader_people_min", p.uploaderPeopleMin());
    n.put("decoy_uploads", p.decoyUploads());
    number(n, "tek_linkage_advantage", p.tekLinkageAdvantage());
    number(n, "tek_linkage_success", p.tekLinkageSuccess());
    number(n, "tek_linkage_chance", p.tekLinkageChance());
    number(n, "sniffer_tracking_success", p.snifferTrackingSuccess());
    n.put("operator_learns_exposures", p.operatorLearnsExposures());
    n.put("people_whose_data_left_home", p.peopleWhoseDataLeftHome());
    return n;
  }

  private static ObjectNode truth(Report.Truth t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("contacts", t.contacts());
    n.put("cross_border_contacts", t.crossBorderContacts());
    number(n, "contacts_per_person_day", t.contactsPerPersonDay());
    n.put("observations", t.observations());
    n.put("initial_infections", t.initialInfections());
    n.put("infections", t.infections());
    n.put("diagnosed", t.diagnosed());
    n.put("uploaders", t.uploaders());
    n.put("keys_uploaded", t.keysUploaded());
    n.put("batches_published", t.batchesPublished());
    n.put("keys_published", t.keysPublished());
    n.put("padding_keys", t.paddingKeys());
    n.put("smallest_batch_keys", t.smallestBatchKeys());
    n.put("false_matches_on_padding", t.falseMatchesOnPadding());
    return n;
  }

  private static ObjectNode federation(Scenario s) {
    ObjectNode n = JSON.createObjectNode();
    Scenario.FederationPolicy f = s.federation();
    n.put("hub", s.hubCountry());
    n.put("batch_max_keys", f.batchMaxKeys());
    n.put("batch_max_age_minutes", f.batchMaxAgeMinutes());
    n.put("padding_min_keys", f.paddingMinKeys());
    n.put("retention_days", f.retentionDays());
    n.put("device_poll_hours", s.matching().devicePollHours());
    number(n, "notify_min_risk_score", s.matching().notifyMinRiskScore());
    return n;
  }

  private static ObjectNode perDay(Report.PerDay p, List<String> countries) {
    ObjectNode n = JSON.createObjectNode();
    n.set("infections", byCountry(p.infections(), countries));
    n.set("notifications", byCountry(p.notifications(), countries));
    ArrayNode rpis = n.putArray("rpis_matched_per_second");
    ArrayNode keys = n.putArray("keys_exchanged_per_second");
    for (int d = 0; d < p.rpisMatchedPerSecond().length; d++) {
      rpis.add(Math.round(p.rpisMatchedPerSecond()[d]));
      keys.add(Math.round(p.keysExchangedPerSecond()[d]));
    }
    return n;
  }

  private static ObjectNode byCountry(int[][] values, List<String> countries) {
    ObjectNode n = JSON.createObjectNode();
    for (int c = 0; c < countries.size(); c++) {
      ArrayNode a = n.putArray(countries.get(c));
      for (int[] day : values) {
        a.add(day[c]);
      }
    }
    return n;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** A number, rounded to 6 significant digits; null when it is not finite. */
  private static void number(ObjectNode n, String name, double v) {
    if (Double.isFinite(v)) {
      n.put(name, Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
    } else {
      n.putNull(name);
    }
  }
}
