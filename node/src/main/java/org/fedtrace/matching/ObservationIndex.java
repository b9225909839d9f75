package org.fedtrace.matching;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What subscribers' devices observed: one entry per observation of a Rolling Proximity Identifier
 * (RPI), with the interval it was heard in, for how long, how strongly, and an opaque reference to
 * the observing device.
 *
 * <p>Layout (no object per observation or per token):
 *
 * <ul>
 *   <li>A hash table over the <em>distinct</em> 128-bit tokens: open addressing with linear
 *       probing, two {@code long}s per slot (the token's first and last 8 bytes, big-endian) and a
 *       parallel {@code int} with the first observation of that token. The table doubles when it is
 *       three quarters full. The all-zero token marks an empty slot, so it is kept outside the
 *       table.
 *   <li>A prefilter: a blocked Bloom filter with one 64-bit word per 8 table slots (8 bits per
 *       slot, 11 to 21 bits per token), three bits per token, all in one word; it answers most
 *       lookups of absent tokens from the cache without touching the table.
 *   <li>Observations as parallel primitive arrays (interval, device, duration, attenuation, and the
 *       next observation of the same token), so duplicates of a token, whether heard by several
 *       devices or several times by one, form a chain and are all reported.
 * </ul>
 *
 * <p>{@link #retainedBytes()} gives the exact size of these arrays. With every token distinct (the
 * worst case) an index of n observations with a table between half and three-quarters full takes
 * about 15 bytes per observation plus 21 bytes per table slot.
 *
 * <p>Token positions come from a seeded hash (a per-index random seed unless one is given), so
 * tokens chosen by an adversary cannot be made to collide in the table. This is not a PRF; it only
 * keeps probe sequences short.
 *
 * <p>Not thread-safe for writes. Any number of threads may read (match) while no thread writes; the
 * {@link Matcher} hands the index to its worker threads with the needed happens-before edges.
 */
public final class ObservationIndex {
  /** Largest observation duration, in seconds. */
  public static final int MAX_DURATION_SECONDS = Short.MAX_VALUE;

  /** Largest attenuation, in dB. */
  public static final int MAX_ATTENUATION_DB = 255;

  /** Marks the end of a chain of observations and an unused table slot. */
  static final int NONE = -1;

  private static final int MIN_TABLE_BITS = 4;
  private static final int MAX_TABLE_BITS = 30;

  /** log2 of the table slots per 64-bit filter word: 8 filter bits per slot. */
  private static final int SLOTS_PER_FILTER_WORD_BITS = 3;

  private final long filterSeed;
  private final long tableSeed;

  private long[] tokens;
  private int[] heads;
  private int tableBits;
  private int distinct;
  private int zeroHead = NONE;
  private long[] filter;

  private int[] intervals;
  private int[] devices;
  private short[] durations;
  private byte[] attenuations;
  private int[] next;
  private int size;

  private ObservationIndex(int expectedObservations, long filterSeed, long tableSeed) {
    if (expectedObservations < 0) {
      throw new IllegalArgumentException(
          "expected observations must be >= 0, got " + expectedObservations);
    }
    this.filterSeed = filterSeed;
    this.tableSeed = tableSeed;
    allocateTable(bitsFor(expectedObservations));
    int capacity = Math.max(16, expectedObservations);
    intervals = new int[capacity];
    devices = new int[capacity];
    durations = new short[capacity];
    attenuations = new byte[capacity];
    next = new int[capacity];
  }

  /** An empty index with room for {@code expectedObservations} before it grows. */
  public static ObservationIndex create(int expectedObservations) {
    return create(expectedObservations, new SplittableRandom().nextLong());
  }

  /**
   * An empty index whose hash seed is fixed, for reproducible layouts (tests, benchmarks). Results
   * of matching never depend on the seed.
   */
  public static ObservationIndex create(int expectedObservations, long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    return new ObservationIndex(expectedObservations, seeds.nextLong(), seeds.nextLong());
  }

  /**
   * Adds an observation of the 16-byte token {@code rpi}.
   *
   * @param interval the 10-minute interval number (Unix seconds / 600) it was heard in, >= 0
   * @param durationSeconds how long it was heard, 0..32767
   * @param attenuationDb signal attenuation (transmit power minus received strength), 0..255
   * @param device opaque reference to the observing device, any value
   */
  public void add(byte[] rpi, int interval, int durationSeconds, int attenuationDb, int device) {
    if (rpi.length != Tokens.LENGTH) {
      throw new IllegalArgumentException("an RPI is 16 bytes, got " + rpi.length);
    }
    add(Tokens.high(rpi, 0), Tokens.low(rpi, 0), interval, durationSeconds, attenuationDb, device);
  }

  /**
   * Adds an observation of the token whose first 8 bytes (big-endian) are {@code tokenHigh} and
   * last 8 bytes are {@code tokenLow}; see {@link #add(byte[], int, int, int, int)}.
   */
  public void add(
      long tokenHigh,
      long tokenLow,
      int interval,
      int durationSeconds,
      int attenuationDb,
      int device) {
    if (interval < 0) {
      throw new IllegalArgumentException("interval must be >= 0, got " + interval);
    }
    if (durationSeconds < 0 || durationSeconds > MAX_DURATION_SECONDS) {
      throw new IllegalArgumentException(
          "duration must be in 0..32767 seconds, got " + durationSeconds);
    }
    if (attenuationDb < 0 || attenuationDb > MAX_ATTENUATION_DB) {
      throw new IllegalArgumentException("attenuation must be in 0..255 dB, got " + attenuationDb);
    }
    if (size == intervals.length) {
      growObservations();
    }
    int id = size++;
    intervals[id] = interval;
    devices[id] = device;
    durations[id] = (short) durationSeconds;
    attenuations[id] = (byte) attenuationDb;
    link(tokenHigh, tokenLow, id);
  }

  /** Number of observations. */
  public int size() {
    return size;
  }

  /** Number of distinct tokens. */
  public int distinctTokens() {
    return distinct + (zeroHead == NONE ? 0 : 1);
  }

  /**
   * Removes every observation heard before interval {@code firstKeptInterval} (retention), and
   * returns how many were removed. The index afterwards equals one built from the remaining
   * observations in their original order; its table shrinks to fit them.
   */
  public int dropObservedBefore(int firstKeptInterval) {
    int kept = 0;
    for (int o = 0; o < size; o++) {
      if (intervals[o] >= firstKeptInterval) {
        kept++;
      }
    }
    int dropped = size - kept;
    if (dropped == 0) {
      return 0;
    }
    int[] slotOf = slotOfEachObservation();
    ObservationIndex rebuilt = new ObservationIndex(kept, filterSeed, tableSeed);
    for (int o = 0; o < size; o++) {
      if (intervals[o] >= firstKeptInterval) {
        int s = slotOf[o];
        long hi = s == NONE ? 0 : tokens[2 * s];
        long lo = s == NONE ? 0 : tokens[2 * s + 1];
        rebuilt.add(hi, lo, intervals[o], durations[o], attenuations[o] & 0xFF, devices[o]);
      }
    }
    adopt(rebuilt);
    return dropped;
  }

  /**
   * Bytes held by the index's arrays (array headers excluded): tokens, chain heads, filter and the
   * observation columns including their spare capacity.
   */
  public long retainedBytes() {
    return 8L * tokens.length
        + 4L * heads.length
        + 8L * filter.length
        + 4L * intervals.length
        + 4L * devices.length
        + 2L * durations.length
        + attenuations.length
        + 4L * next.length;
  }

  /** Calls {@code consumer} once for each distinct token, in no particular order. */
  public void forEachToken(TokenConsumer consumer) {
    for (int s = 0; s < heads.length; s++) {
      if (heads[s] != NONE) {
        consumer.accept(tokens[2 * s], tokens[2 * s + 1]);
      }
    }
    if (zeroHead != NONE) {
      consumer.accept(0, 0);
    }
  }

  /** Receives a token as its first and last 8 bytes, big-endian. */
  @FunctionalInterface
  public interface TokenConsumer {
    /** Called with one token. */
    void accept(long tokenHigh, long tokenLow);
  }

  // ---- read access for the matcher (package-private) ----

  /** First observation of the token, or {@link #NONE} if the index does not hold it. */
  int headOf(long hi, long lo) {
    if ((hi | lo) == 0) {
      return zeroHead;
    }
    long[] t = tokens;
    int mask = heads.length - 1;
    int s = slotHash(hi, lo);
    while (true) {
      long a = t[2 * s];
      long b = t[2 * s + 1];
      if (a == hi && b == lo) {
        return heads[s];
      }
      if ((a | b) == 0) {
        return NONE;
      }
      s = (s + 1) & mask;
    }
  }

  /**
   * Reads the first table slot {@code hi, lo} hashes to and returns its first word, without
   * branching: a loop of these over many tokens lets their cache misses overlap, so the lookups
   * that follow find the lines in cache (Java has no prefetch instruction).
   */
  long touch(long hi, long lo) {
    return tokens[2 * slotHash(hi, lo)];
  }

  int nextOf(int observation) {
    return next[observation];
  }

  int interval(int observation) {
    return intervals[observation];
  }

  int device(int observation) {
    return devices[observation];
  }

  int durationSeconds(int observation) {
    return durations[observation];
  }

  int attenuationDb(int observation) {
    return attenuations[observation] & 0xFF;
  }

  long[] filterWords() {
    return filter;
  }

  long filterSeed() {
    return filterSeed;
  }

  /** Shift that turns {@code hi ^ filterSeed} into a filter word index. */
  int filterShift() {
    return 64 - (tableBits - SLOTS_PER_FILTER_WORD_BITS);
  }

  /** The three bits a token sets in its filter word, from bits 0..17 of its first 8 bytes. */
  static long filterBits(long hi) {
    return (1L << hi) | (1L << (hi >>> 6)) | (1L << (hi >>> 12));
  }

  // ---- internals ----

  private void link(long hi, long lo, int id) {
    if ((hi | lo) == 0) {
      next[id] = zeroHead;
      zeroHead = id;
      setFilter(0);
      return;
    }
    int mask = heads.length - 1;
    int s = slotHash(hi, lo);
    while (true) {
      long a = tokens[2 * s];
      long b = tokens[2 * s + 1];
      if (a == hi && b == lo) {
        next[id] = heads[s];
        heads[s] = id;
        return;
      }
      if ((a | b) == 0) {
        break;
      }
      s = (s + 1) & mask;
    }
    if (distinct + 1 > maxDistinct()) {
      rehash(tableBits + 1);
      link(hi, lo, id);
      return;
    }
    tokens[2 * s] = hi;
    tokens[2 * s + 1] = lo;
    heads[s] = id;
    next[id] = NONE;
    distinct++;
    setFilter(hi);
  }

  private int maxDistinct() {
    return (int) ((3L << tableBits) / 4);
  }

  private int slotHash(long hi, long lo) {
    long h = (hi ^ tableSeed) * 0x9E3779B97F4A7C15L + lo;
    h = (h ^ (h >>> 31)) * 0xD6E8FEB86659FD93L;
    return (int) ((h ^ (h >>> 32)) >>> (64 - tableBits));
  }

  private void setFilter(long hi) {
    filter[(int) ((hi ^ filterSeed) >>> filterShift())] |= filterBits(hi);
  }

  private static int bitsFor(int expectedDistinct) {
    int bits = MIN_TABLE_BITS;
    while (bits < MAX_TABLE_BITS && (3L << bits) / 4 < expectedDistinct) {
      bits++;
    }
    return bits;
  }

  private void allocateTable(int bits) {
    if (bits > MAX_TABLE_BITS) {
      throw new IllegalStateException("the index holds at most 805306368 distinct tokens");
    }
    tableBits = bits;
    tokens = new long[2 << bits];
    heads = new int[1 << bits];
    Arrays.fill(heads, NONE);
    filter = new long[1 << (bits - SLOTS_PER_FILTER_WORD_BITS)];
    distinct = 0;
  }

  private void rehash(int bits) {
    long[] oldTokens = tokens;
    int[] oldHeads = heads;
    allocateTable(bits);
    int mask = heads.length - 1;
    for (int o = 0; o < oldHeads.length; o++) {
      if (oldHeads[o] == NONE) {
        continue;
      }
      long hi = oldTokens[2 * o];
      long lo = oldTokens[2 * o + 1];
      int s = slotHash(hi, lo);
      while ((tokens[2 * s] | tokens[2 * s + 1]) != 0) {
        s = (s + 1) & mask;
      }
      tokens[2 * s] = hi;
      tokens[2 * s + 1] = lo;
      heads[s] = oldHeads[o];
      distinct++;
      setFilter(hi);
    }
    if (zeroHead != NONE) {
      setFilter(0);
    }
  }

  private void growObservations() {
    int capacity =
        (int) Math.min(Integer.MAX_VALUE - 8L, intervals.length + (intervals.length >> 1L));
    if (capacity <= size) {
      throw new IllegalStateException("the index holds at most " + size + " observations");
    }
    intervals = Arrays.copyOf(intervals, capacity);
    devices = Arrays.copyOf(devices, capacity);
    durations = Arrays.copyOf(durations, capacity);
    attenuations = Arrays.copyOf(attenuations, capacity);
    next = Arrays.copyOf(next, capacity);
  }

  /** The table slot of every observation's token ({@link #NONE} for the all-zero token). */
  private int[] slotOfEachObservation() {
    int[] slotOf = new int[size];
    Arrays.fill(slotOf, NONE);
    for (int s = 0; s < heads.length; s++) {
      for (int o = heads[s]; o != NONE; o = next[o]) {
        slotOf[o] = s;
      }
    }
    return slotOf;
  }

  private void adopt(ObservationIndex other) {
    tokens = other.tokens;
    heads = other.heads;
    tableBits = other.tableBits;
    distinct = other.distinct;
    zeroHead = other.zeroHead;
    intervals = other.intervals;
    devices = other.devices;
    durations = other.durations;
    attenuations = other.attenuations;
    next = other.next;
    size = other.size;
    filter = other.filter;
  }
}
