package org.fedtrace.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedtrace.proto.v1.BatchScope;

/**
 * The bilateral terms of an agreement (spec §25.3): which origin may send batches of which scope to
 * which destination. Absent from the agreement, every member may send every scope to every other
 * member; present, only the listed grants hold, and an empty list shares nothing.
 *
 * <p>The JSON form, the agreement's optional {@code sharing} field:
 *
 * <pre>
 * "sharing": [                        sorted by origin, then destination; each pair once
 *   {"origin": "DE", "destination": "FR", "scopes": ["federate", "traveller"]}
 * ]
 * </pre>
 *
 * @param grants the pairs and their scopes, sorted; empty with {@code listed} false means all
 * @param listed whether the agreement carries {@code sharing} at all
 */
public record SharingTerms(List<Grant> grants, boolean listed) {
  /** The JSON field of the agreement. */
  public static final String FIELD = "sharing";

  /** No {@code sharing} field: all to all, every scope. */
  public static final SharingTerms ALL = new SharingTerms(List.of(), false);

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final List<String> GRANT_FIELDS = List.of("origin", "destination", "scopes");

  /**
   * One pair of the matrix.
   *
   * @param scopes the scopes the origin may send the destination, a non-empty subset of {@code
   *     federate} and {@code traveller}
   */
  public record Grant(String origin, String destination, Set<BatchScope> scopes) {
    /** Copies the set. */
    public Grant {
      scopes = Set.copyOf(scopes);
    }
  }

  /** Copies the list; the grants must be sorted by origin, then destination, each pair once. */
  public SharingTerms {
    grants = List.copyOf(grants);
    if (!listed && !grants.isEmpty()) {
      throw new IllegalArgumentException("grants are listed only when 'sharing' is present");
    }
    for (int i = 1; i < grants.size(); i++) {
      if (pair(grants.get(i - 1)).compareTo(pair(grants.get(i))) >= 0) {
        throw new IllegalArgumentException(
            "'sharing' must be sorted by origin, then destination, each pair once; "
                + pair(grants.get(i))
                + " follows "
                + pair(grants.get(i - 1)));
      }
    }
  }

  /** Listed terms letting every one of {@code countries} send both scopes to every other. */
  public static SharingTerms allToAll(java.util.Collection<String> countries) {
    List<String> sorted = countries.stream().sorted().distinct().toList();
    List<Grant> grants = new ArrayList<>();
    for (String origin : sorted) {
      for (String destination : sorted) {
        if (!origin.equals(destination)) {
          grants.add(
              new Grant(
                  origin,
                  destination,
                  Set.of(BatchScope.BATCH_SCOPE_FEDERATE, BatchScope.BATCH_SCOPE_TRAVELLER)));
        }
      }
    }
    return new SharingTerms(grants, true);
  }

  /**
   * These terms with the pair {@code origin} to {@code destination} granted exactly {@code scopes}
   * (none: the pair removed).
   */
  public SharingTerms with(String origin, String destination, Set<BatchScope> scopes) {
    List<Grant> out = new ArrayList<>();
    for (Grant g : grants) {
      if (!(g.origin().equals(origin) && g.destination().equals(destination))) {
        out.add(g);
      }
    }
    if (!scopes.isEmpty()) {
      out.add(new Grant(origin, destination, scopes));
    }
    out.sort(java.util.Comparator.comparing(SharingTerms::pair));
    return new SharingTerms(out, true);
  }

  /**
   * The terms of {@code terms} (all to all among its members when it lists none) with every pair of
   * {@code countries} granted both scopes, except the {@code federateOnly} pairs (origin,
   * destination), granted FEDERATE only. A conformance kit uses it to make refusals observable.
   */
  public static SharingTerms withFederateOnly(
      AgreementTerms terms, List<String> countries, List<List<String>> federateOnly) {
    SharingTerms out =
        terms.sharing().listed()
            ? terms.sharing()
            : allToAll(terms.members().stream().map(OperatorIdentity::country).toList());
    for (String origin : countries) {
      for (String destination : countries) {
        if (!origin.equals(destination)) {
          boolean restricted = federateOnly.contains(List.of(origin, destination));
          out =
              out.with(
                  origin,
                  destination,
                  restricted
                      ? Set.of(BatchScope.BATCH_SCOPE_FEDERATE)
                      : Set.of(BatchScope.BATCH_SCOPE_FEDERATE, BatchScope.BATCH_SCOPE_TRAVELLER));
        }
      }
    }
    return out;
  }

  /**
   * Whether batches of {@code origin} and {@code scope} may go to {@code destination} (R25.9,
   * R25.10). A country always may receive its own batches back (R9.13). Terms name countries: an
   * origin or destination of a member that shares its country (spec §26.2) counts as its country.
   *
   * @param scope FEDERATE or TRAVELLER (a format-1 batch is FEDERATE)
   */
  public boolean allows(String origin, String destination, BatchScope scope) {
    String from = MemberOrigins.country(origin);
    String to = MemberOrigins.country(destination);
    if (!listed || from.equals(to)) {
      return true;
    }
    for (Grant g : grants) {
      if (g.origin().equals(from) && g.destination().equals(to)) {
        return g.scopes().contains(scope);
      }
    }
    return false;
  }

  /** Requires every country named to be one of {@code members}' countries. */
  void requireMembers(List<OperatorIdentity> members) {
    Set<String> countries = Set.copyOf(members.stream().map(OperatorIdentity::country).toList());
    for (Grant g : grants) {
      for (String c : List.of(g.origin(), g.destination())) {
        if (!countries.contains(c)) {
          throw new IllegalArgumentException("'sharing' names " + c + ", which is not a member");
        }
      }
    }
  }

  /** Writes the field into {@code root} when the agreement lists it. */
  void write(com.fasterxml.jackson.databind.node.ObjectNode root) {
    if (!listed) {
      return;
    }
    ArrayNode array = root.putArray(FIELD);
    for (Grant g : grants) {
      ArrayNode scopes =
          array
              .addObject()
              .put("origin", g.origin())
              .put("destination", g.destination())
              .putArray("scopes");
      for (BatchScope s :
          List.of(BatchScope.BATCH_SCOPE_FEDERATE, BatchScope.BATCH_SCOPE_TRAVELLER)) {
        if (g.scopes().contains(s)) {
          scopes.add(json(s));
        }
      }
    }
  }

  /**
   * Reads the field; {@code node} null means absent.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static SharingTerms read(JsonNode node) {
    if (node == null) {
      return ALL;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("'sharing' must be an array");
    }
    List<Grant> grants = new ArrayList<>();
    for (JsonNode g : node) {
      grants.add(grant(g));
    }
    return new SharingTerms(grants, true);
  }

  private static Grant grant(JsonNode g) {
    if (!g.isObject() || g.size() != GRANT_FIELDS.size()) {
      throw new IllegalArgumentException(
          "a 'sharing' entry must be an object of exactly origin, destination and scopes");
    }
    for (Iterator<String> names = g.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!GRANT_FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "' in a 'sharing' entry");
      }
    }
    String origin = country(g, "origin");
    String destination = country(g, "destination");
    if (origin.equals(destination)) {
      throw new IllegalArgumentException("a 'sharing' entry names " + origin + " twice");
    }
    JsonNode scopes = g.get("scopes");
    if (!scopes.isArray() || scopes.isEmpty()) {
      throw new IllegalArgumentException("'scopes' must be a non-empty array");
    }
    List<BatchScope> list = new ArrayList<>();
    for (JsonNode s : scopes) {
      BatchScope scope = scope(s);
      if (!list.isEmpty() && list.get(list.size() - 1).getNumber() >= scope.getNumber()) {
        throw new IllegalArgumentException(
            "'scopes' must be in the order federate, traveller, each once");
      }
      list.add(scope);
    }
    return new Grant(origin, destination, Set.copyOf(list));
  }

  private static String country(JsonNode g, String field) {
    JsonNode v = g.get(field);
    if (!v.isTextual() || !COUNTRY.matcher(v.textValue()).matches()) {
      throw new IllegalArgumentException("'" + field + "' must be two letters A..Z");
    }
    return v.textValue();
  }

  private static BatchScope scope(JsonNode s) {
    if (s.isTextual() && s.textValue().equals("federate")) {
      return BatchScope.BATCH_SCOPE_FEDERATE;
    }
    if (s.isTextual() && s.textValue().equals("traveller")) {
      return BatchScope.BATCH_SCOPE_TRAVELLER;
    }
    throw new IllegalArgumentException("a scope must be \"federate\" or \"traveller\", got " + s);
  }

  private static String json(BatchScope s) {
    return s == BatchScope.BATCH_SCOPE_TRAVELLER ? "traveller" : "federate";
  }

  private static String pair(Grant g) {
    return g.origin() + "->" + g.destination();
  }
}
