package org.fedtrace.store;

import java.util.Set;
import org.fedtrace.pki.MemberOrigins;
import org.fedtrace.pki.OperatorIdentity;

/**
 * Who batches are served to, and so which ones: never a batch of the recipient's own country
 * (unless it asks) nor one received from it; only the node's own batches unless the node forwards;
 * and only batches every client accepts (spec §1.3 "servable"): none holding a key whose validity
 * ended before the retention window, even before the purge removed it, none created before {@code
 * createdFrom}, none of an origin that is not a member.
 *
 * @param peer the peer served
 * @param peerOrigin the peer's origin (spec §26.2): its country unless its country has several
 *     members
 * @param forward whether batches received from other peers are served too
 * @param windowStart the first interval of the retention window
 * @param createdFrom the earliest creation time (Unix seconds) served
 * @param served the origins whose batches are served, per scope: members' origins that the
 *     agreement's sharing terms let send them to the recipient, and that its filter asks for
 * @param ownOrigin whether the batches of the recipient's own origin are served too (it asked for
 *     them, spec R9.13, R10.13)
 */
public record Recipient(
    OperatorIdentity peer,
    String peerOrigin,
    boolean forward,
    long windowStart,
    long createdFrom,
    Served served,
    boolean ownOrigin) {
  /**
   * The origins served, per scope.
   *
   * @param federate the origins whose FEDERATE batches are served
   * @param traveller the origins whose TRAVELLER batches are served
   */
  public record Served(Set<String> federate, Set<String> traveller) {
    /**
     * Copies the sets, sorted: a store binds them in order to its query, and a sorted set's stream
     * needs no sorting each time.
     */
    public Served {
      federate = sorted(federate);
      traveller = sorted(traveller);
    }

    private static Set<String> sorted(Set<String> origins) {
      return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(origins));
    }
  }

  /** A recipient served batches of both scopes from {@code origins}. */
  public Recipient(
      OperatorIdentity peer,
      String peerOrigin,
      boolean forward,
      long windowStart,
      long createdFrom,
      Set<String> origins,
      boolean ownOrigin) {
    this(
        peer,
        peerOrigin,
        forward,
        windowStart,
        createdFrom,
        new Served(origins, origins),
        ownOrigin);
  }

  /**
   * A recipient whose origin is its country, served batches of both scopes from {@code origins}.
   */
  public Recipient(
      OperatorIdentity peer,
      boolean forward,
      long windowStart,
      long createdFrom,
      Set<String> origins,
      boolean ownOrigin) {
    this(peer, peer.country(), forward, windowStart, createdFrom, origins, ownOrigin);
  }

  /** The origins whose FEDERATE batches are served. */
  public Set<String> origins() {
    return served.federate();
  }

  /** The origins whose TRAVELLER batches are served. */
  public Set<String> travellerOrigins() {
    return served.traveller();
  }

  /** This recipient, served the batches of its own origin too. */
  public Recipient withOwnOrigin() {
    return new Recipient(peer, peerOrigin, forward, windowStart, createdFrom, served, true);
  }

  /**
   * This recipient with its interest filter (spec R25.13): only origins in {@code wanted} (all when
   * empty), only TRAVELLER batches when {@code travellersOnly}.
   */
  public Recipient filtered(Set<String> wanted, boolean travellersOnly) {
    Set<String> federate = new java.util.HashSet<>(travellersOnly ? Set.of() : origins());
    Set<String> traveller = new java.util.HashSet<>(travellerOrigins());
    if (!wanted.isEmpty()) {
      // filters name countries: a member origin (spec §26.2) is selected by its country
      federate.removeIf(origin -> !wanted.contains(MemberOrigins.country(origin)));
      traveller.removeIf(origin -> !wanted.contains(MemberOrigins.country(origin)));
    }
    return new Recipient(
        peer,
        peerOrigin,
        forward,
        windowStart,
        createdFrom,
        new Served(federate, traveller),
        ownOrigin);
  }
}
