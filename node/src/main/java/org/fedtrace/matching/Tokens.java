package org.fedtrace.matching;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A 128-bit token (RPI) as two {@code long}s: its first and last 8 bytes, big-endian. */
final class Tokens {
  /** Bytes in a token. */
  static final int LENGTH = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Tokens() {}

  /** First 8 bytes of the token at {@code offset}. */
  static long high(byte[] b, int offset) {
    return (long) LONGS.get(b, offset);
  }

  /** Last 8 bytes of the token at {@code offset}. */
  static long low(byte[] b, int offset) {
    return (long) LONGS.get(b, offset + 8);
  }

  /** Writes a token given as two longs into {@code b} at {@code offset}. */
  static void write(long hi, long lo, byte[] b, int offset) {
    LONGS.set(b, offset, hi);
    LONGS.set(b, offset + 8, lo);
  }
}
