package org.fedtrace.sim.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference matcher's index: one open-addressing hash table per added day (RPIs as two longs,
 * linear probing, load between a quarter and a half), so old days drop out whole: 26 bytes of
 * columns plus 8 to 16 bytes of table per observation.
 */
final class ReferenceIndex implements ObservationIndex {
  private final List<Chunk> chunks = new ArrayList<>();

  @Override
  public synchronized void add(Observations o) {
    if (o.size() > 0) {
      chunks.add(new Chunk(o));
    }
  }

  @Override
  public synchronized void dropBefore(int enin) {
    chunks.removeIf(c -> c.maxInterval < enin);
  }

  @Override
  public synchronized long size() {
    return chunks.stream().mapToLong(c -> c.size).sum();
  }

  /** The chunks that may hold observations in [from, until). */
  synchronized List<Chunk> overlapping(int from, int until) {
    List<Chunk> out = new ArrayList<>(2);
    for (Chunk c : chunks) {
      if (c.maxInterval >= from && c.minInterval < until) {
        out.add(c);
      }
    }
    return out;
  }

  static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xffL);
    }
    return v;
  }

  /** One day's observations and their hash table. */
  static final class Chunk {
    private final int size;
    private final long[] hi;
    private final long[] lo;
    private final int[] intervals;
    private final int[] agents;
    private final byte[] minutes;
    private final byte[] attenuation;
    private final int[] slots;
    private final int mask;
    private final int minInterval;
    private final int maxInterval;

    Chunk(Observations o) {
      size = o.size();
      hi = new long[size];
      lo = new long[size];
      intervals = o.intervals();
      agents = o.agents();
      minutes = o.durationMinutes();
      attenuation = o.attenuationDb();
      int capacity = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1;
      slots = new int[capacity];
      mask = capacity - 1;
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      byte[] rpis = o.rpis();
      for (int i = 0; i < size; i++) {
        hi[i] = longAt(rpis, 16 * i);
        lo[i] = longAt(rpis, 16 * i + 8);
        int s = (int) lo[i] & mask;
        while (slots[s] != 0) {
          s = (s + 1) & mask;
        }
        slots[s] = i + 1;
        min = Math.min(min, intervals[i]);
        max = Math.max(max, intervals[i]);
      }
      minInterval = min;
      maxInterval = max;
    }

    /** Adds every row with this RPI heard in [from, until) to {@code heard}. */
    void lookup(long rpiHi, long rpiLo, int from, int until, Map<Integer, Heard> heard) {
      int s = (int) rpiLo & mask;
      while (slots[s] != 0) {
        int row = slots[s] - 1;
        if (lo[row] == rpiLo
            && hi[row] == rpiHi
            && intervals[row] >= from
            && intervals[row] < until) {
          heard
              .computeIfAbsent(agents[row], k -> new Heard())
              .add(intervals[row], minutes[row], attenuation[row] & 0xff);
        }
        s = (s + 1) & mask;
      }
    }
  }
}
