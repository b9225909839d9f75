package org.fedtrace.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The matching engine: derives every RPI of a batch of diagnosis keys and finds the observations of
 * them in an {@link ObservationIndex}, following the Exposure Notification rules.
 *
 * <p><b>Rules.</b> A key with rolling start {@code s} and rolling period {@code p} (1..144) yields
 * exactly {@code p} RPIs, for intervals {@code s .. s+p-1}. An observation of one of them counts
 * when it was heard in an interval {@code o} with {@code s - 12 <= o <= s + p - 1 + 12}: the key's
 * validity window widened by two hours ({@link #TOLERANCE_INTERVALS}) on each side for clock skew.
 * Every counting observation is reported, including several observations of one RPI by one device
 * and observations of one RPI by several devices. Counting observations are grouped into one {@link
 * Exposure} per (device, key), scored by a {@link RiskModel}.
 *
 * <p><b>Pipeline.</b> Keys are split into chunks; each worker thread claims chunks from a shared
 * counter, derives the chunk's RPIs into one buffer with its own {@code TokenDeriver} (one HKDF,
 * one AES key schedule and one multi-block AES call per key), passes them through the index's
 * prefilter, directly or {@linkplain ProbeMode#PARTITIONED partitioned}, and looks the few
 * survivors up in the index's table. Results do not depend on the number of threads or the
 * schedule: matches are sorted before they are grouped.
 *
 * <p>One match runs at a time per engine (methods are synchronized); the index must not be modified
 * during a match. Close the engine to stop its threads.
 */
public final class Matcher implements AutoCloseable {
  /** Clock-skew tolerance on each side of a key's validity window: two hours. */
  public static final int TOLERANCE_INTERVALS = 12;

  private final int threads;
  private final ProbeMode mode;
  private final RiskModel risk;
  private final int directChunkKeys;
  private final int partitionedChunkKeys;
  private final int partitionSliceBits;
  private final ExecutorService pool;
  private final MatchWorker[] direct;
  private final MatchWorker[] partitioned;

  private Matcher(
      int threads,
      ProbeMode mode,
      RiskModel risk,
      int directChunkKeys,
      int partitionedChunkKeys,
      int partitionSliceBits) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.mode = mode;
    this.risk = risk;
    this.directChunkKeys = directChunkKeys;
    this.partitionedChunkKeys = partitionedChunkKeys;
    this.partitionSliceBits = partitionSliceBits;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "fedtrace-matcher");
                  t.setDaemon(true);
                  return t;
                });
    this.direct = new MatchWorker[threads];
    this.partitioned = new MatchWorker[threads];
  }

  /** An engine with {@code threads} threads (the caller's plus threads - 1), default risk model. */
  public static Matcher create(int threads) {
    return create(threads, ProbeMode.DIRECT, RiskModel.DEFAULT);
  }

  /** An engine with {@code threads} threads, the given probe mode and risk model. */
  public static Matcher create(int threads, ProbeMode mode, RiskModel risk) {
    return new Matcher(
        threads,
        mode,
        risk,
        MatchWorker.DIRECT_CHUNK_KEYS,
        MatchWorker.PARTITIONED_CHUNK_KEYS,
        MatchWorker.PARTITION_SLICE_BITS);
  }

  /**
   * An engine with small chunks and partitions, so that tests on a few keys and observations go
   * through every path: several chunks per thread, many partitions of a small filter.
   */
  static Matcher forTesting(int threads, ProbeMode mode, int chunkKeys, int partitionSliceBits) {
    return new Matcher(threads, mode, RiskModel.DEFAULT, chunkKeys, chunkKeys, partitionSliceBits);
  }

  /** Number of threads a match uses. */
  public int threads() {
    return threads;
  }

  /** Finds every exposure of the index's devices to the keys. */
  public synchronized MatchResult match(ObservationIndex index, KeyBatch keys) {
    MatchWorker[] workers = workers(mode);
    AtomicInteger nextChunk = new AtomicInteger();
    runAll(workers, w -> w.match(index, keys, nextChunk));
    long[] all = new long[Arrays.stream(workers).mapToInt(MatchWorker::matchCount).sum()];
    int at = 0;
    for (MatchWorker w : workers) {
      System.arraycopy(w.matches(), 0, all, at, w.matchCount());
      at += w.matchCount();
    }
    return new MatchResult(group(index, keys, all), keys.rpiCount(), all.length);
  }

  /**
   * Derives every RPI of the keys exactly as {@link #match} does, without looking anything up: the
   * limit of the pipeline. Returns a checksum of the RPIs so the work cannot be optimized away.
   */
  public synchronized long deriveOnly(KeyBatch keys) {
    MatchWorker[] workers = workers(ProbeMode.DIRECT);
    AtomicInteger nextChunk = new AtomicInteger();
    runAll(workers, w -> w.deriveOnly(keys, nextChunk));
    long sum = 0;
    for (MatchWorker w : workers) {
      sum += w.checksum();
    }
    return sum;
  }

  /**
   * Looks up {@code count} 16-byte tokens, from token {@code first} of {@code tokens} on, in the
   * index on the calling thread (prefilter, then table, no validity windows) and returns how many
   * it holds: the lookup half of the pipeline, for benchmarks.
   */
  public synchronized long probeOnly(ObservationIndex index, byte[] tokens, int first, int count) {
    if (first < 0 || count < 0 || ((long) first + count) * Tokens.LENGTH > tokens.length) {
      throw new IllegalArgumentException(
          "tokens "
              + first
              + ".."
              + ((long) first + count)
              + " do not fit in "
              + tokens.length
              + " bytes");
    }
    return workers(mode)[0].probeOnly(index, tokens, first, count);
  }

  /** Stops the engine's threads. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private MatchWorker[] workers(ProbeMode probeMode) {
    boolean part = probeMode == ProbeMode.PARTITIONED;
    MatchWorker[] ws = part ? partitioned : direct;
    for (int i = 0; i < ws.length; i++) {
      if (ws[i] == null) {
        ws[i] =
            part
                ? new MatchWorker(partitionedChunkKeys, true, partitionSliceBits)
                : new MatchWorker(directChunkKeys, false, partitionSliceBits);
      }
      ws[i].reset();
    }
    return ws;
  }

  /** Runs {@code task} on every worker: worker 0 on this thread, the others on the pool. */
  private void runAll(MatchWorker[] workers, Consumer<MatchWorker> task) {
    List<Future<?>> others = new ArrayList<>();
    for (int i = 1; i < workers.length; i++) {
      MatchWorker w = workers[i];
      others.add(pool.submit(() -> task.accept(w)));
    }
    RuntimeException failure = null;
    try {
      task.accept(workers[0]);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException
                  ? (RuntimeException) e.getCause()
                  : new IllegalStateException("a matcher thread failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while matching", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Groups matches (key << 32 | observation) into exposures, ordered by device then key. */
  private List<Exposure> group(ObservationIndex index, KeyBatch keys, long[] matches) {
    Arrays.sort(matches);
    List<Exposure> out = new ArrayList<>();
    int i = 0;
    while (i < matches.length) {
      int key = (int) (matches[i] >>> 32);
      int end = i;
      while (end < matches.length && (int) (matches[end] >>> 32) == key) {
        end++;
      }
      long[] byDevice = new long[end - i];
      for (int j = i; j < end; j++) {
        int o = (int) matches[j];
        byDevice[j - i] = ((long) index.device(o) << 32) | o;
      }
      Arrays.sort(byDevice);
      int d = 0;
      while (d < byDevice.length) {
        int dEnd = d;
        while (dEnd < byDevice.length && (byDevice[dEnd] >> 32) == (byDevice[d] >> 32)) {
          dEnd++;
        }
        out.add(exposure(index, keys, key, byDevice, d, dEnd));
        d = dEnd;
      }
      i = end;
    }
    out.sort(Comparator.comparingInt(Exposure::device).thenComparingInt(Exposure::keyIndex));
    return out;
  }

  private Exposure exposure(
      ObservationIndex index, KeyBatch keys, int key, long[] byDevice, int from, int to) {
    int[] intervals = new int[to - from];
    long duration = 0;
    long weighted = 0;
    for (int j = from; j < to; j++) {
      int o = (int) byDevice[j];
      intervals[j - from] = index.interval(o);
      duration += index.durationSeconds(o);
      weighted +=
          (long) index.durationSeconds(o)
              * RiskModel.attenuationWeightPercent(index.attenuationDb(o));
    }
    int dsos = keys.daysSinceOnsetOrAbsent(key);
    double score =
        RiskModel.score(weighted, keys.transmissionRiskLevel(key), KeyBatch.isAbsent(dsos), dsos);
    return new Exposure(
        (int) (byDevice[from] >> 32),
        key,
        Arrays.stream(intervals).sorted().distinct().toArray(),
        new Exposure.Tally(to - from, duration, weighted),
        score,
        risk.notifies(score));
  }
}
