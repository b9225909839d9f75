package org.fedtrace.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionsTest {
  @Test
  void theReadmeCarriesEveryDefinitionVerbatim() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

    for (Definitions.Definition d : Definitions.ALL) {
      assertTrue(
          readme.contains("- **`" + d.name() + "`**: " + d.text() + "\n"),
          "README.md lacks the definition of " + d.name());
    }
  }

  @Test
  void everyIssueFiveFigureIsDefined() {
    List<String> names = Definitions.ALL.stream().map(Definitions.Definition::name).toList();

    for (String figure :
        List.of(
            "true_exposures",
            "notified",
            "true_positives",
            "precision",
            "recall",
            "bytes_per_node_per_day",
            "rpis_matched_per_second",
            "keys_exchanged_per_second",
            "wall_seconds",
            "non_diagnosed_keys_shared",
            "uploader_anonymity_set_min",
            "tek_linkage_advantage",
            "sniffer_tracking_success",
            "operator_learns_exposures")) {
      assertTrue(names.contains(figure), figure);
    }
    assertEquals(
        1, names.stream().filter(n -> n.contains("cross_border_notification_p50_hours")).count());
  }

  @Test
  void numbersAreFormattedForPeople() {
    assertEquals("1,234", ReportMarkdown.fmt(1234));
    assertEquals("0.125", ReportMarkdown.fmt(0.125));
    assertEquals("1,235", ReportMarkdown.fmt(1234.6));
    assertEquals("n/a", ReportMarkdown.fmt(Double.NaN));
  }
}
