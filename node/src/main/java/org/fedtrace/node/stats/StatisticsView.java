package org.fedtrace.node.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.stats.DailyRelease;
import org.fedtrace.stats.StatisticsPolicy;
import org.fedtrace.store.Statistics;
import org.fedtrace.store.Store;

/**
 * The public form of the statistics (spec transparency.md §16.3, the {@code /api/v1/statistics}
 * resource): how they are released, the budget and what it spent, and every stored release as it
 * was released, never noised again. Reads only.
 */
public final class StatisticsView {
  private final Store store;
  private final StatisticsPolicy policy;
  private final int members;

  /**
   * @param policy the node's policy, or null when its statistics are off
   * @param members the number of member countries, which sets the pair families' sensitivity
   */
  public StatisticsView(Store store, StatisticsPolicy policy, int members) {
    this.store = store;
    this.policy = policy;
    this.members = members;
  }

  /** The resource's answer. */
  public ObjectNode json() {
    ObjectNode out = ReleaseJson.MAPPER.createObjectNode();
    if (policy == null) {
      out.put("published", false);
      out.put(
          "explanation",
          "Per country pair and day figures are released only with differential privacy, with"
              + " the mechanism and epsilon stated here; this node does not release them.");
      out.putArray("pairs");
      return out;
    }
    List<Statistics.StoredRelease> releases = store.read(tx -> tx.statistics().releases());
    out.put("published", true);
    out.put(
        "explanation",
        "Each figure is an exact count plus noise drawn once from the discrete Laplace"
            + " distribution of scale sensitivity/epsilon; a health authority's figures of a day"
            + " appear only when its noisy upload count reaches minUploads, and a day only"
            + " delayHours after it ended. Noisy figures can be negative.");
    out.put("mechanism", DailyRelease.MECHANISM);
    out.put("epsilon", policy.epsilonPerDay().toString());
    out.put("epsilonPerFamily", policy.epsilonPerFamily().toString());
    out.put("totalEpsilon", policy.totalEpsilon().toString());
    out.put("spentEpsilon", Ledger.spent(releases).map(Object::toString).orElse("0"));
    out.put("minUploads", policy.minUploads());
    out.put("delayHours", policy.delayHours());
    out.put("keysPerUploadCap", policy.keysPerUploadCap());
    DailyRelease.Sensitivities d = DailyRelease.Sensitivities.of(policy, members);
    out.putObject("sensitivity")
        .put("uploads", d.uploads())
        .put("keys", d.keys())
        .put("delayDays", d.delays())
        .put("pairBatches", d.pairBatches())
        .put("pairKeys", d.pairKeys());
    ArrayNode list = out.putArray("releases");
    ArrayNode pairs = out.putArray("pairs");
    for (Statistics.StoredRelease r : releases) {
      JsonNode body = parse(r.body());
      list.addObject()
          .put("leafIndex", r.leafIndex())
          .put("sha256", HexFormat.of().formatHex(r.sha256()))
          .set("release", body);
      for (JsonNode p : body.get("pairs")) {
        pairs.addObject().put("day", r.day()).setAll((ObjectNode) p);
      }
    }
    return out;
  }

  private static JsonNode parse(String body) {
    try {
      return ReleaseJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored release is not JSON", e);
    }
  }
}
