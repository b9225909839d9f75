package org.fedtrace.node.rpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The opaque sync cursor a node hands out: {@code 0x01 | u64 store epoch | u64 position}. The epoch
 * ties a cursor to one store, so a cursor from another node or from a store that was recreated is
 * refused instead of silently skipping or repeating batches.
 */
public final class Cursor {
  private static final int LENGTH = 17;
  private static final byte VERSION = 1;

  private Cursor() {}

  /** The cursor pointing after {@code position} in the store with {@code epoch}. */
  public static ByteString encode(long epoch, long position) {
    return ByteString.copyFrom(
        ByteBuffer.allocate(LENGTH).put(VERSION).putLong(epoch).putLong(position).array());
  }

  /**
   * The position a cursor points after; 0 for the empty cursor (the beginning).
   *
   * @param rule the rule of the calling RPC (R9.2 or R10.1)
   * @throws RuleViolation of {@code rule} for a cursor this store did not issue
   */
  public static long decode(ByteString cursor, long epoch, Rule rule) {
    if (cursor.isEmpty()) {
      return 0;
    }
    if (cursor.size() != LENGTH || cursor.byteAt(0) != VERSION) {
      throw RuleViolation.field(rule, "cursor", "is not a cursor this node issued");
    }
    ByteBuffer b = cursor.asReadOnlyByteBuffer();
    b.get();
    long e = b.getLong();
    long position = b.getLong();
    if (e != epoch || position < 0) {
      throw RuleViolation.field(rule, "cursor", "was issued by another store; restart empty");
    }
    return position;
  }
}
