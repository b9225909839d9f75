package org.fedtrace.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The sharing terms a conformance kit writes into the agreement (spec §25.3), so that a client can
 * see the node refuse outside them: member B may send the node FEDERATE batches only, and the node
 * may send member A FEDERATE batches only; every other pair keeps both scopes.
 */
public final class KitSharing {
  private KitSharing() {}

  /** Whether the agreement in the kit of {@code s} holds those two restricted pairs. */
  static boolean present(Session s) {
    Optional<byte[]> json = s.kit().agreement();
    if (json.isEmpty()) {
      return false;
    }
    JsonElement sharing =
        JsonParser.parseString(new String(json.get(), StandardCharsets.UTF_8))
            .getAsJsonObject()
            .get("sharing");
    if (sharing == null || !sharing.isJsonArray()) {
      return false;
    }
    String node = s.info().getNode().getCountry();
    String a = s.kit().memberA().identity().country();
    String b = s.kit().memberB().identity().country();
    return federateOnly(sharing.getAsJsonArray(), b, node)
        && federateOnly(sharing.getAsJsonArray(), node, a);
  }

  private static boolean federateOnly(JsonArray grants, String origin, String destination) {
    for (JsonElement e : grants) {
      JsonObject g = e.getAsJsonObject();
      if (g.get("origin").getAsString().equals(origin)
          && g.get("destination").getAsString().equals(destination)) {
        JsonArray scopes = g.getAsJsonArray("scopes");
        return scopes.size() == 1 && scopes.get(0).getAsString().equals("federate");
      }
    }
    return false;
  }

  /** The restricted pairs, as (origin, destination), for a kit of {@code node}, A and B. */
  public static List<List<String>> restrictedPairs(String node, String a, String b) {
    return List.of(List.of(b, node), List.of(node, a));
  }
}
