package org.fedtrace.export;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;

/**
 * A hand-written reader of the few export.bin fields the tests look at, sharing no code with the
 * writer or with {@link org.fedtrace.batch.GaenExport}: the protobuf wire format decoded byte by
 * byte.
 */
final class ExportBinFields {
  private static final int HEADER = 16;

  private ExportBinFields() {}

  /** The key_data of every key in revised_keys (field 8). */
  static Set<ByteString> revisedKeyData(byte[] bin) {
    Set<ByteString> out = new HashSet<>();
    int[] pos = {HEADER};
    while (pos[0] < bin.length) {
      long tag = varint(bin, pos);
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == 0) {
        varint(bin, pos);
      } else if (type == 1) {
        pos[0] += 8;
      } else if (type == 2) {
        int len = (int) varint(bin, pos);
        if (field == 8) {
          out.add(keyData(bin, pos[0], pos[0] + len));
        }
        pos[0] += len;
      } else {
        throw new IllegalArgumentException("unexpected wire type " + type);
      }
    }
    return out;
  }

  private static ByteString keyData(byte[] bin, int from, int to) {
    int[] pos = {from};
    while (pos[0] < to) {
      long tag = varint(bin, pos);
      if ((tag & 7) == 2) {
        int len = (int) varint(bin, pos);
        if (tag >>> 3 == 1) {
          return ByteString.copyFrom(bin, pos[0], len);
        }
        pos[0] += len;
      } else {
        varint(bin, pos);
      }
    }
    throw new IllegalArgumentException("a key without key_data");
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }
}
