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
 * @param peerOrigin the peer's origin (spec §26.2): its country unless its country has several
 *     members
 * @param forward whether batches received from other peers are served too
 * @param windowStart the first interval of the retention window
 * @param createdFrom the earliest creation time (Unix seconds) served
 * @param origins the members' origins, the only origins served
 * @param ownOrigin whether the batches of the recipient's own origin are served too (it asked for
 *     them, spec R9.13, R10.13)
 */
public record Recipient(
    OperatorIdentity peer,
    String peerOrigin,
    boolean forward,
    long windowStart,
    long createdFrom,
    Set<String> origins,
    boolean ownOrigin) {
  public Recipient {
    origins = Set.copyOf(origins);
  }

  /** A recipient whose origin is its country: the only member of it. */
  public Recipient(
      OperatorIdentity peer,
      boolean forward,
      long windowStart,
      long createdFrom,
      Set<String> origins,
      boolean ownOrigin) {
    this(peer, peer.country(), forward, windowStart, createdFrom, origins, ownOrigin);
  }

  /** This recipient, served the batches of its own origin too. */
  public Recipient withOwnOrigin() {
    return new Recipient(peer, peerOrigin, forward, windowStart, createdFrom, origins, true);
  }
}
