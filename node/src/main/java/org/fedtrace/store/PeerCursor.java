package org.fedtrace.store;

import java.nio.ByteBuffer;
import org.fedtrace.pki.OperatorIdentity;

/**
 * A peer's sync cursor.
 *
 * @param value the opaque cursor the peer issued (pull), or the 8-byte big-endian store position
 *     pushed up to (push)
 */
public record PeerCursor(OperatorIdentity peer, Direction direction, byte[] value) {
  /** Which way batches flow. */
  public enum Direction {
    /** This node subscribes to the peer; the cursor is the peer's. */
    PULL,
    /** This node pushes to the peer; the cursor is a position of this node's store. */
    PUSH
  }

  /** The cursor {@code peer} issued, pulled up to. */
  public static PeerCursor pulled(OperatorIdentity peer, byte[] cursor) {
    return new PeerCursor(peer, Direction.PULL, cursor);
  }

  /** The position of this store pushed up to {@code peer}. */
  public static PeerCursor pushed(OperatorIdentity peer, long position) {
    return new PeerCursor(peer, Direction.PUSH, ByteBuffer.allocate(8).putLong(position).array());
  }

  /** A pushed position stored as {@link #value}. */
  public static long position(byte[] pushed) {
    return ByteBuffer.wrap(pushed).getLong();
  }
}
