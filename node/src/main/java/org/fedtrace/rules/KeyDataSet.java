package org.fedtrace.rules;

import com.google.protobuf.ByteString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 16-byte key_data values seen so far in one list of keys (R4.11): an open-addressing table of
 * two longs per value, sized for the list, so that checking a batch of keys allocates two arrays
 * instead of a set entry and a hash per key. Not thread-safe.
 */
final class KeyDataSet {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final long[] slots;
  private final boolean[] used;
  private final int mask;
  private final byte[] scratch = new byte[16];

  /** A set for up to {@code expected} values. */
  KeyDataSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(2, expected) * 2 - 1) * 2;
    this.slots = new long[capacity * 2];
    this.used = new boolean[capacity];
    this.mask = capacity - 1;
  }

  /**
   * Adds a 16-byte value.
   *
   * @return false when the value was present already
   */
  boolean add(ByteString keyData) {
    keyData.copyTo(scratch, 0);
    long hi = (long) LONG.get(scratch, 0);
    long lo = (long) LONG.get(scratch, 8);
    int i = mix(hi ^ Long.rotateLeft(lo, 29)) & mask;
    while (used[i]) {
      if (slots[2 * i] == hi && slots[2 * i + 1] == lo) {
        return false;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    return true;
  }

  private static int mix(long v) {
    v *= 0x9E3779B97F4A7C15L;
    return (int) (v ^ (v >>> 32));
  }
}
