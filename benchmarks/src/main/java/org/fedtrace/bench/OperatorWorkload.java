package org.fedtrace.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.matching.Exposure;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ObservationIndex;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.PublishBatchRequest;

/**
 * The data of the operator-assisted matching benchmark, made before anything is measured: what the
 * devices of the node's country observed, as serialized DepositObservations requests of {@value
 * #OBSERVATIONS_PER_DEPOSIT} observations (one device each), the same observations in an {@link
 * ObservationIndex} for the engine alone, and signed batches of the origin whose keys have a known
 * number of planted matches among the observations.
 *
 * <p>Observations are real ones as far as the node can tell: random 16-byte RPIs heard in the last
 * {@value SignedBatches#DAYS} days, 1 to 10 minutes, 40 to 80 dB. Each batch's planted keys (spread
 * evenly over the batch) were heard by one device for 1 to 3 consecutive intervals of their day;
 * every fourth is heard by a second device too, and every fifth has a decoy observation of one of
 * its RPIs 13 intervals before its window, which must not match (spec §15.2: a window of the key's
 * day ±12 intervals). Each planted (device, key) is one expected exposure.
 */
final class OperatorWorkload {
  /** Observations per DepositObservations call, the most one call may carry (R15.4). */
  static final int OBSERVATIONS_PER_DEPOSIT = 10_000;

  /** The origin's country, the exposures' origin. */
  static final String ORIGIN = "DE";

  private static final int INTERVAL_SECONDS = 600;
  private static final int DAY = KeyBatch.MAX_ROLLING_PERIOD;

  /**
   * One signed batch.
   *
   * @param request the serialized PublishBatch request
   * @param keys its keys, in the batch's order, for the engine alone
   * @param plantedObservations observations of its keys that must match
   */
  record Batch(byte[] request, KeyBatch keys, int plantedObservations) {
    /** RPIs its keys yield: keys × rolling period. */
    long rpis() {
      return keys.rpiCount();
    }
  }

  /**
   * An exposure the node must find.
   *
   * @param device the observing device's index
   * @param batch the index of the batch holding the key
   * @param ranges first and last interval of each run of matched intervals
   */
  record Expected(int device, int batch, ByteString keyData, int[] ranges, long durationSeconds) {
    /** How the operator's backend sees it: origin, intervals and duration. */
    String asSeen() {
      return exposure(ORIGIN, ranges, durationSeconds);
    }
  }

  private final List<byte[]> deviceKeys;
  private final List<byte[]> deposits;
  private final ObservationIndex index;
  private final List<Batch> batches;
  private final List<Expected> expected;
  private final int decoys;

  private OperatorWorkload(Builder b) {
    this.deviceKeys = b.deviceKeys;
    this.deposits = b.deposits;
    this.index = b.index;
    this.batches = b.batches;
    this.expected = b.expected;
    this.decoys = b.decoys;
  }

  /**
   * Makes the workload: {@code observations} observations of {@code ceil(observations / 10000)}
   * devices, {@code batchCount} batches of {@code keysPerBatch} keys signed by {@code origin}, with
   * {@code plantedPerBatch} planted keys each.
   */
  static OperatorWorkload generate(
      SignedBatches origin,
      Instant now,
      int observations,
      int batchCount,
      int keysPerBatch,
      int plantedPerBatch,
      long seed) {
    if (plantedPerBatch > keysPerBatch) {
      throw new IllegalArgumentException("more planted keys than keys per batch");
    }
    Builder b = new Builder(now, observations, seed);
    for (int i = 0; i < batchCount; i++) {
      b.batch(origin, 1 + i, keysPerBatch, plantedPerBatch);
    }
    b.fillAndSerialize();
    return new OperatorWorkload(b);
  }

  /** The 16-byte keys of the devices, by device index. */
  List<byte[]> deviceKeys() {
    return deviceKeys;
  }

  /** The serialized DepositObservations requests, one per device, by device index. */
  List<byte[]> deposits() {
    return deposits;
  }

  /** Every observation, devices by index, for the engine alone. */
  ObservationIndex index() {
    return index;
  }

  /** The batches, sequence numbers 1, 2, ... */
  List<Batch> batches() {
    return batches;
  }

  /** Every expected exposure. */
  List<Expected> expected() {
    return expected;
  }

  /** Decoy observations: RPIs of planted keys heard outside their window. */
  int decoys() {
    return decoys;
  }

  /** Observations in all. */
  int observations() {
    return index.size();
  }

  /**
   * Checks that the engine's {@code result} for batch {@code batch} found exactly the exposures
   * planted for it.
   *
   * @throws IllegalStateException naming the first difference
   */
  void checkEngine(int batch, MatchResult result) {
    Batch b = batches.get(batch);
    List<String> found = new ArrayList<>();
    for (Exposure e : result.exposures()) {
      found.add(
          e.device()
              + " "
              + HexFormat.of().formatHex(b.keys().keyData(e.keyIndex()))
              + " "
              + exposure(ORIGIN, ranges(e.intervals()), e.durationSeconds()));
    }
    List<String> want = new ArrayList<>();
    for (Expected x : expected) {
      if (x.batch() == batch) {
        want.add(
            x.device()
                + " "
                + HexFormat.of().formatHex(x.keyData().toByteArray())
                + " "
                + x.asSeen());
      }
    }
    same("engine, batch " + batch, want, found);
    if (result.matchedObservations() != b.plantedObservations()) {
      throw new IllegalStateException(
          "engine, batch "
              + batch
              + ": "
              + result.matchedObservations()
              + " matching observations found, "
              + b.plantedObservations()
              + " planted");
    }
  }

  /**
   * Checks that what the backend sees for {@code device} equals the exposures planted in the
   * batches {@code 0 .. matchedBatches - 1}.
   *
   * @param seen the node's answer, each as {@link #exposure(String, List, long)}
   * @throws IllegalStateException naming the first difference
   */
  void checkDevice(int device, int matchedBatches, List<String> seen) {
    List<String> want = new ArrayList<>();
    for (Expected x : expected) {
      if (x.device() == device && x.batch() < matchedBatches) {
        want.add(x.asSeen());
      }
    }
    same("node, device " + device, want, seen);
  }

  /** The exposures planted for batch {@code batch}. */
  List<Expected> expectedOf(int batch) {
    return expected.stream().filter(x -> x.batch() == batch).toList();
  }

  /** Throws unless {@code want} and {@code found} hold the same elements, in any order. */
  static void same(String what, List<String> want, List<String> found) {
    List<String> w = new ArrayList<>(want);
    List<String> f = new ArrayList<>(found);
    w.sort(null);
    f.sort(null);
    if (!w.equals(f)) {
      List<String> missing = new ArrayList<>(w);
      f.forEach(missing::remove);
      List<String> extra = new ArrayList<>(f);
      w.forEach(extra::remove);
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%s: %d exposures found, %d planted; missing %s; not planted %s",
              what,
              f.size(),
              w.size(),
              missing.subList(0, Math.min(5, missing.size())),
              extra.subList(0, Math.min(5, extra.size()))));
    }
  }

  /** An exposure as the backend sees it, as text: origin, interval runs, duration. */
  static String exposure(String origin, int[] ranges, long durationSeconds) {
    return origin + " " + Arrays.toString(ranges) + " " + durationSeconds + " s";
  }

  /** An exposure as the backend sees it, as text: origin, interval runs, duration. */
  static String exposure(String origin, List<IntervalRange> ranges, long durationSeconds) {
    int[] r = new int[2 * ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      r[2 * i] = ranges.get(i).getFirstInterval();
      r[2 * i + 1] = ranges.get(i).getLastInterval();
    }
    return exposure(origin, r, durationSeconds);
  }

  /**
   * The runs of consecutive values of ascending distinct {@code intervals}, as first-last pairs.
   */
  static int[] ranges(int[] intervals) {
    int[] out = new int[2 * intervals.length];
    int n = 0;
    for (int v : intervals) {
      if (n == 0 || v != out[n - 1] + 1) {
        out[n++] = v;
        out[n++] = v;
      } else {
        out[n - 1] = v;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Makes the workload in steps; not thread-safe. */
  private static final class Builder {
    final List<byte[]> deviceKeys = new ArrayList<>();
    final List<byte[]> deposits = new ArrayList<>();
    final List<Batch> batches = new ArrayList<>();
    final List<Expected> expected = new ArrayList<>();
    final ObservationIndex index;
    int decoys;

    private final int observations;
    private final SplittableRandom random;
    private final TokenDeriver deriver = TokenDeriver.create();
    private final int today;
    private final int nowInterval;
    private final List<List<Observation>> planted = new ArrayList<>();

    Builder(Instant now, int observations, long seed) {
      this.observations = observations;
      this.random = new SplittableRandom(seed);
      this.index = ObservationIndex.create(observations);
      this.nowInterval = (int) (now.getEpochSecond() / INTERVAL_SECONDS);
      this.today = nowInterval / DAY * DAY;
      int devices = (observations + OBSERVATIONS_PER_DEPOSIT - 1) / OBSERVATIONS_PER_DEPOSIT;
      for (int d = 0; d < devices; d++) {
        deviceKeys.add(bytes(16));
        planted.add(new ArrayList<>());
      }
    }

    /** Observations the last device holds: the others hold {@value #OBSERVATIONS_PER_DEPOSIT}. */
    private int size(int device) {
      return Math.min(OBSERVATIONS_PER_DEPOSIT, observations - device * OBSERVATIONS_PER_DEPOSIT);
    }

    void batch(SignedBatches origin, long sequence, int keysPerBatch, int plantedPerBatch) {
      List<DiagnosisKey> keys = origin.keySet(keysPerBatch);
      byte[] request = origin.request(sequence, keys);
      List<DiagnosisKey> sent;
      try {
        sent = PublishBatchRequest.parseFrom(request).getBatch().getKeysList();
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
      int batch = batches.size();
      int matching = 0;
      for (int i = 0; i < plantedPerBatch; i++) {
        DiagnosisKey k = sent.get((int) ((long) i * sent.size() / plantedPerBatch));
        int device = roomyDevice(4, -1);
        matching += plant(batch, k, device, 1 + random.nextInt(3), i % 5 == 4);
        if (i % 4 == 3 && deviceKeys.size() > 1) {
          matching += plant(batch, k, roomyDevice(1, device), 1, false);
        }
      }
      batches.add(new Batch(request, KeyBatch.fromProto(sent), matching));
    }

    /**
     * Plants {@code run} consecutive observations of key {@code k} in {@code device}, and a decoy
     * if asked and the key's window leaves room before it within the retention.
     *
     * @return the observations planted that must match
     */
    private int plant(int batch, DiagnosisKey k, int device, int run, boolean decoy) {
      byte[] key = k.getKeyData().toByteArray();
      int start = k.getRollingStartIntervalNumber();
      int first = random.nextInt(k.getRollingPeriod() - run + 1);
      long duration = 0;
      for (int t = 0; t < run; t++) {
        int seconds = 60 * (1 + random.nextInt(10));
        byte[] rpi = rpi(key, start + first + t);
        planted.get(device).add(observation(rpi, start + first + t, seconds));
        index.add(rpi, start + first + t, seconds, 50, device);
        duration += seconds;
      }
      expected.add(
          new Expected(
              device,
              batch,
              k.getKeyData(),
              new int[] {start + first, start + first + run - 1},
              duration));
      boolean roomBefore = start - Matcher.TOLERANCE_INTERVALS - 1 >= today - 12 * DAY;
      if (decoy && roomBefore) {
        int heard = start - Matcher.TOLERANCE_INTERVALS - 1;
        planted.get(device).add(observation(rpi(key, start + first), heard, 300));
        index.add(rpi(key, start + first), heard, 300, 50, device);
        decoys++;
      }
      return run;
    }

    /** A random device other than {@code not} whose planted observations fill at most half. */
    private int roomyDevice(int needed, int not) {
      for (int tries = 0; tries < 1000; tries++) {
        int d = random.nextInt(deviceKeys.size());
        if (d != not && planted.get(d).size() + needed <= size(d) / 2) {
          return d;
        }
      }
      throw new IllegalArgumentException("too few observations for the planted keys");
    }

    private byte[] rpi(byte[] key, int interval) {
      byte[] out = new byte[16];
      deriver.deriveRpis(key, interval, 1, out, 0);
      return out;
    }

    private static Observation observation(byte[] rpi, int interval, int seconds) {
      return Observation.newBuilder()
          .setRpi(ByteString.copyFrom(rpi))
          .setIntervalNumber(interval)
          .setDurationSeconds(seconds)
          .setAttenuationDb(50)
          .build();
    }

    /**
     * Fills every device up with random observations of the last {@value SignedBatches#DAYS} days
     * (not in the future) and serializes its deposit: planted observations first, then the rest.
     */
    void fillAndSerialize() {
      int firstDay = today - SignedBatches.DAYS * DAY;
      for (int d = 0; d < deviceKeys.size(); d++) {
        DepositObservationsRequest.Builder r =
            DepositObservationsRequest.newBuilder()
                .setDeviceKey(ByteString.copyFrom(deviceKeys.get(d)))
                .addAllObservations(planted.get(d));
        for (int i = planted.get(d).size(); i < size(d); i++) {
          byte[] rpi = bytes(16);
          int interval = firstDay + random.nextInt(nowInterval - firstDay);
          int seconds = 60 * (1 + random.nextInt(10));
          int db = 40 + random.nextInt(41);
          r.addObservations(
              Observation.newBuilder()
                  .setRpi(ByteString.copyFrom(rpi))
                  .setIntervalNumber(interval)
                  .setDurationSeconds(seconds)
                  .setAttenuationDb(db));
          index.add(rpi, interval, seconds, db, d);
        }
        deposits.add(r.build().toByteArray());
        planted.set(d, List.of());
      }
    }

    private byte[] bytes(int n) {
      byte[] b = new byte[n];
      random.nextBytes(b);
      return b;
    }
  }
}
