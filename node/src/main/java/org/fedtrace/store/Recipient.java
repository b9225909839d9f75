package org.fedtrace.store;

import java.util.Set;
import org.fedtrace.pki.OperatorIdentity;

/**
 * Who batches are served to, and so which ones: never a batch of the recipient's own country
 * (unless it asks) nor one received from it; only the node's own batches unless the node forwards;
 * and only batches every client accepts (spec §1.3 "servable"): none holding a key whose validity
 * ended before the retention window, even before the purge removed it, none created before {@code
 * createdFrom}, none of an origin that is not a member.
 *
 * @param peer the peer served
 * @param forward whether batches received from other peers are served too
 * @param windowStart the first interval of the retention window
 * @param createdFrom the earliest creation time (Unix seconds) served
 * @param origins the origins whose FEDERATE batches are served: member countries that the
 *     agreement's sharing terms let send them to the recipient, and that its filter asks for
 * @param ownOrigin whether the batches of the recipient's own country are served too (it asked for
 *     them, spec R9.13, R10.13)
 * @param travellerOrigins the origins whose TRAVELLER batches are served, as {@code origins}
 */
public record Recipient(
    OperatorIdentity peer,
    boolean forward,
    long windowStart,
    long createdFrom,
    Set<String> origins,
    boolean ownOrigin,
    Set<String> travellerOrigins) {
  public Recipient {
    origins = Set.copyOf(origins);
    travellerOrigins = Set.copyOf(travellerOrigins);
  }

  /** A recipient served batches of both scopes from {@code origins}. */
  public Recipient(
      OperatorIdentity peer,
      boolean forward,
      long windowStart,
      long createdFrom,
      Set<String> origins,
      boolean ownOrigin) {
    this(peer, forward, windowStart, createdFrom, origins, ownOrigin, origins);
  }

  /** This recipient, served the batches of its own country too. */
  public Recipient withOwnOrigin() {
    return new Recipient(peer, forward, windowStart, createdFrom, origins, true, travellerOrigins);
  }

  /**
   * This recipient with its interest filter (spec R25.13): only origins in {@code wanted} (all when
   * empty), only TRAVELLER batches when {@code travellersOnly}.
   */
  public Recipient filtered(Set<String> wanted, boolean travellersOnly) {
    Set<String> federate = new java.util.HashSet<>(travellersOnly ? Set.of() : origins);
    Set<String> traveller = new java.util.HashSet<>(travellerOrigins);
    if (!wanted.isEmpty()) {
      federate.retainAll(wanted);
      traveller.retainAll(wanted);
    }
    return new Recipient(peer, forward, windowStart, createdFrom, federate, ownOrigin, traveller);
  }
}
