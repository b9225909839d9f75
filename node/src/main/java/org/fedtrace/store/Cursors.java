package org.fedtrace.store;

import java.util.Optional;
import org.fedtrace.pki.OperatorIdentity;

/** How far the node got with each peer: the cursor a peer issued, or the position pushed up to. */
public interface Cursors {
  /** The stored cursor of {@code peer} in {@code direction}, if any. */
  Optional<byte[]> get(OperatorIdentity peer, PeerCursor.Direction direction);

  /** Stores (or replaces) a cursor. */
  void put(PeerCursor cursor);

  /** Forgets every cursor (at the sunset). */
  void eraseAll();
}
