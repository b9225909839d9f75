package org.fedtrace.sim.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The {@link Sharing} figures as report.json's {@code sharing} object and report.md rows. */
final class SharingTables {
  private SharingTables() {}

  /** The figures by their report.json name, in report order. */
  static Map<String, Double> figures(Sharing s) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("uploads", (double) s.uploads());
    f.put("declined_uploads", (double) s.declinedUploads());
    f.put("traveller_uploads", (double) s.travellerUploads());
    f.put("domestic_keys", (double) s.domesticKeys());
    f.put("domestic_key_bytes", (double) s.domesticKeyBytes());
    f.put("domestic_keys_in_batches", (double) s.domesticKeysInBatches());
    f.put("batch_bytes_per_node_per_day", s.batchBytesPerNodePerDay());
    f.put("travellers_only_bytes_per_node_per_day", s.travellersOnlyBytesPerNodePerDay());
    f.put("filter_saved_share", s.filterSavedShare());
    f.put("notified_by_federating.domestic", (double) s.notifiedDomestic());
    f.put("notified_by_federating.cross_border", (double) s.notifiedCrossBorder());
    f.put("notified_by_declined.domestic", (double) s.declinedNotifiedDomestic());
    f.put("notified_by_declined.cross_border", (double) s.declinedNotifiedCrossBorder());
    f.put("cross_border_lost_estimate", s.crossBorderLost());
    f.put("travellers_only_would_lose", (double) s.travellersOnlyLost());
    f.put("linkage_advantage", s.linkageAdvantage());
    f.put("linkage_advantage_with_visited", s.linkageAdvantageVisited());
    return f;
  }

  /** The {@code sharing} object of report.json (numbers to 6 significant digits). */
  static ObjectNode json(Sharing s) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Double> e : figures(s).entrySet()) {
      double v = e.getValue();
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        n.put(e.getKey(), (long) v);
      } else if (Double.isFinite(v)) {
        n.put(e.getKey(), Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
      } else {
        n.putNull(e.getKey());
      }
    }
    return n;
  }

  /** One row per figure, named {@code sharing.NAME}. */
  static void markdown(StringBuilder md, Sharing s) {
    for (Map.Entry<String, Double> e : figures(s).entrySet()) {
      md.append("| sharing.")
          .append(e.getKey())
          .append(" | ")
          .append(ReportMarkdown.fmt(e.getValue()))
          .append(" |\n");
    }
  }
}
