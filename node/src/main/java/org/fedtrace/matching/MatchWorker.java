package org.fedtrace.matching;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.crypto.TokenDeriver;

/**
 * One thread's share of matching: its own {@link TokenDeriver} and scratch buffers. It claims
 * chunks of keys from a shared counter, derives their RPIs into one buffer, keeps the RPIs the
 * index's prefilter lets through (the candidates), and looks those up in the table.
 */
final class MatchWorker {
  /** Keys per chunk when probing directly: about 150 KB of RPIs, well inside L2. */
  static final int DIRECT_CHUNK_KEYS = 64;

  /** Keys per chunk when partitioning: enough RPIs per partition to reuse filter lines. */
  static final int PARTITIONED_CHUNK_KEYS = 1024;

  /** log2 of the filter words one partition covers: 32 Ki words, 256 KiB. */
  static final int PARTITION_SLICE_BITS = 15;

  private static final int MAX_PARTITION_BITS = 8;

  private final TokenDeriver deriver = TokenDeriver.create();
  private final byte[] tek = new byte[Tokens.LENGTH];
  private final int chunkKeys;
  private final int sliceBits;
  private final byte[] rpis;
  private final int[] keyOffsets;
  private final int[] candidates;
  private final int[] wordIndex;
  private final long[] words;
  private final long[] partHigh;
  private final int[] partPos;
  private final int[] partStart = new int[(1 << MAX_PARTITION_BITS) + 1];

  private long[] matches = new long[64];
  private int matchCount;
  private long checksum;

  /**
   * @param chunkKeys keys derived per chunk
   * @param partitioned whether to partition probes
   * @param sliceBits log2 of the filter words one partition covers
   */
  MatchWorker(int chunkKeys, boolean partitioned, int sliceBits) {
    this.chunkKeys = chunkKeys;
    this.sliceBits = sliceBits;
    int maxRpis = chunkKeys * KeyBatch.MAX_ROLLING_PERIOD;
    rpis = new byte[maxRpis * Tokens.LENGTH];
    keyOffsets = new int[chunkKeys + 1];
    candidates = new int[maxRpis];
    wordIndex = new int[maxRpis];
    words = new long[maxRpis];
    partHigh = partitioned ? new long[maxRpis] : null;
    partPos = partitioned ? new int[maxRpis] : null;
  }

  void reset() {
    matchCount = 0;
    checksum = 0;
  }

  int matchCount() {
    return matchCount;
  }

  long[] matches() {
    return matches;
  }

  long checksum() {
    return checksum;
  }

  /** Matches chunks claimed from {@code nextChunk} until the keys run out. */
  void match(ObservationIndex index, KeyBatch keys, AtomicInteger nextChunk) {
    int from;
    while ((from = claim(nextChunk, keys)) >= 0) {
      int to = Math.min(keys.size(), from + chunkKeys);
      int n = derive(keys, from, to);
      verify(index, keys, from, filter(index, rpis, 0, n));
    }
  }

  /** Derives chunks claimed from {@code nextChunk}, without any lookup. */
  void deriveOnly(KeyBatch keys, AtomicInteger nextChunk) {
    int from;
    while ((from = claim(nextChunk, keys)) >= 0) {
      int n = derive(keys, from, Math.min(keys.size(), from + chunkKeys));
      checksum += Tokens.high(rpis, (n - 1) * Tokens.LENGTH);
    }
  }

  /**
   * How many of {@code count} tokens from token {@code first} of {@code tokens} the index holds.
   */
  long probeOnly(ObservationIndex index, byte[] tokens, int first, int count) {
    long hits = 0;
    int end = first + count;
    for (int base = first; base < end; base += candidates.length) {
      int c = filter(index, tokens, base, Math.min(candidates.length, end - base));
      touchCandidates(index, tokens, base, c);
      for (int i = 0; i < c; i++) {
        int at = (base + candidates[i]) * Tokens.LENGTH;
        if (index.headOf(Tokens.high(tokens, at), Tokens.low(tokens, at))
            != ObservationIndex.NONE) {
          hits++;
        }
      }
    }
    return hits;
  }

  private int claim(AtomicInteger nextChunk, KeyBatch keys) {
    long from = (long) nextChunk.getAndIncrement() * chunkKeys;
    return from < keys.size() ? (int) from : -1;
  }

  /** Derives the RPIs of keys {@code from..to-1} into {@link #rpis}; returns how many. */
  private int derive(KeyBatch keys, int from, int to) {
    int n = 0;
    for (int k = from; k < to; k++) {
      keyOffsets[k - from] = n;
      keys.copyKey(k, tek);
      int period = keys.rollingPeriod(k);
      deriver.deriveRpis(tek, keys.rollingStart(k), period, rpis, n * Tokens.LENGTH);
      n += period;
    }
    keyOffsets[to - from] = n;
    return n;
  }

  /**
   * Writes the positions (relative to {@code base}) of the {@code n} RPIs from position {@code
   * base} of {@code buf} that pass the index's filter into {@link #candidates}; returns how many.
   */
  private int filter(ObservationIndex index, byte[] buf, int base, int n) {
    return partHigh == null
        ? filterDirect(index, buf, base, n)
        : filterPartitioned(index, buf, base, n);
  }

  /**
   * Three passes, so that the random reads of the filter overlap: the filter word index of every
   * RPI; then a loop that only loads those words, whose body is so short that the out-of-order
   * window holds dozens of cache misses at once; then the bit tests. The same work in one loop was
   * about three times slower on a 16 MiB filter: its longer body left room for few misses in
   * flight.
   */
  private int filterDirect(ObservationIndex index, byte[] buf, int base, int n) {
    long seed = index.filterSeed();
    int shift = index.filterShift();
    int[] ix = wordIndex;
    for (int i = 0; i < n; i++) {
      ix[i] = (int) ((Tokens.high(buf, (base + i) * Tokens.LENGTH) ^ seed) >>> shift);
    }
    gather(index.filterWords(), n);
    long[] w = words;
    int[] out = candidates;
    int c = 0;
    for (int i = 0; i < n; i++) {
      long bits = ObservationIndex.filterBits(Tokens.high(buf, (base + i) * Tokens.LENGTH));
      out[c] = i;
      c += (w[i] & bits) == bits ? 1 : 0;
    }
    return c;
  }

  /**
   * Like {@link #filterDirect}, but first radix-partitions the RPIs by the top bits of their filter
   * word (a histogram pass and a scatter pass), so that the gather visits the filter one 256 KiB
   * slice at a time.
   */
  private int filterPartitioned(ObservationIndex index, byte[] buf, int base, int n) {
    long seed = index.filterSeed();
    int shift = index.filterShift();
    int partBits = Math.min(MAX_PARTITION_BITS, 64 - shift - sliceBits);
    if (partBits <= 0) {
      return filterDirect(index, buf, base, n);
    }
    int partShift = 64 - partBits;
    int parts = 1 << partBits;
    int[] start = partStart;
    Arrays.fill(start, 0, parts + 1, 0);
    for (int i = 0; i < n; i++) {
      long hi = Tokens.high(buf, (base + i) * Tokens.LENGTH);
      start[(int) ((hi ^ seed) >>> partShift) + 1]++;
    }
    for (int p = 0; p < parts; p++) {
      start[p + 1] += start[p];
    }
    long[] his = partHigh;
    int[] pos = partPos;
    for (int i = 0; i < n; i++) {
      long hi = Tokens.high(buf, (base + i) * Tokens.LENGTH);
      int d = start[(int) ((hi ^ seed) >>> partShift)]++;
      his[d] = hi;
      pos[d] = i;
    }
    int[] ix = wordIndex;
    for (int j = 0; j < n; j++) {
      ix[j] = (int) ((his[j] ^ seed) >>> shift);
    }
    gather(index.filterWords(), n);
    long[] w = words;
    int[] out = candidates;
    int c = 0;
    for (int j = 0; j < n; j++) {
      long bits = ObservationIndex.filterBits(his[j]);
      out[c] = pos[j];
      c += (w[j] & bits) == bits ? 1 : 0;
    }
    return c;
  }

  /** {@code words[i] = filter[wordIndex[i]]}: nothing else, see {@link #filterDirect}. */
  private void gather(long[] filter, int n) {
    int[] ix = wordIndex;
    long[] w = words;
    for (int i = 0; i < n; i++) {
      w[i] = filter[ix[i]];
    }
  }

  /** Looks the candidates up in the table and records the observations in their key's window. */
  private void verify(ObservationIndex index, KeyBatch keys, int from, int c) {
    touchCandidates(index, rpis, 0, c);
    for (int i = 0; i < c; i++) {
      int at = candidates[i] * Tokens.LENGTH;
      int o = index.headOf(Tokens.high(rpis, at), Tokens.low(rpis, at));
      if (o == ObservationIndex.NONE) {
        continue;
      }
      int key = from + keyOf(candidates[i], keys.size() - from);
      long first = (long) keys.rollingStart(key) - Matcher.TOLERANCE_INTERVALS;
      long last =
          (long) keys.rollingStart(key) + keys.rollingPeriod(key) - 1 + Matcher.TOLERANCE_INTERVALS;
      for (; o != ObservationIndex.NONE; o = index.nextOf(o)) {
        int interval = index.interval(o);
        if (interval >= first && interval <= last) {
          record(key, o);
        }
      }
    }
  }

  /**
   * Loads the first table slot of every candidate in a loop without branches, so that their cache
   * misses overlap and the lookups that follow mostly hit (Java has no prefetch instruction).
   */
  private void touchCandidates(ObservationIndex index, byte[] buf, int base, int c) {
    long touched = 0;
    for (int i = 0; i < c; i++) {
      int at = (base + candidates[i]) * Tokens.LENGTH;
      touched += index.touch(Tokens.high(buf, at), Tokens.low(buf, at));
    }
    checksum += touched;
  }

  /** The chunk-relative key whose RPIs include position {@code rpi}. */
  private int keyOf(int rpi, int keysLeft) {
    int lo = 0;
    int hi = Math.min(chunkKeys, keysLeft) - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (keyOffsets[mid] <= rpi) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private void record(int key, int observation) {
    if (matchCount == matches.length) {
      matches = Arrays.copyOf(matches, matches.length * 2);
    }
    matches[matchCount++] = ((long) key << 32) | observation;
  }
}
