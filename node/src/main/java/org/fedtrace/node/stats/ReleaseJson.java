package org.fedtrace.node.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fedtrace.stats.DailyRelease;

/**
 * The body of a release as it is stored, hashed into its ledger entry and served (spec
 * transparency.md §16.3): compact JSON, fields in a fixed order, figures of a health authority
 * below the threshold left out.
 */
public final class ReleaseJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ReleaseJson() {}

  /** The release's body. */
  public static ObjectNode of(DailyRelease.Release r) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("day", r.day().toString());
    out.put("mechanism", DailyRelease.MECHANISM);
    out.put("epsilon", r.epsilon().toString());
    ArrayNode has = out.putArray("authorities");
    for (DailyRelease.AuthorityRow a : r.authorities()) {
      ObjectNode row = has.addObject().put("authority", a.authority());
      row.put("published", a.published());
      if (a.published()) {
        row.put("uploads", a.uploads()).put("keys", a.keys());
        ObjectNode hist = row.putObject("delayDays");
        for (Map.Entry<String, Long> bin : a.delays().entrySet()) {
          hist.put(bin.getKey(), bin.getValue());
        }
      }
    }
    ArrayNode pairs = out.putArray("pairs");
    for (DailyRelease.PairRow p : r.pairs()) {
      pairs
          .addObject()
          .put("from", p.from())
          .put("to", p.to())
          .put("batches", p.batches())
          .put("keys", p.keys());
    }
    return out;
  }

  /** The compact UTF-8 text the node stores and hashes. */
  public static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a release does not serialize", e);
    }
  }
}
