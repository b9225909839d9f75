package org.fedtrace.bench;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.ReportType;

/**
 * Valid, signed batches of an origin, made before a measurement starts (signing is the origin's
 * cost, not the receiver's) and kept as serialized PublishBatch requests, the bytes an origin
 * sends.
 *
 * <p>Keys look like real ones: random key data, one of the last {@value #DAYS} days with a full
 * rolling period, a report type, days since onset present for most keys, a transmission risk level,
 * and zero to two visited countries. A key is about 40 bytes on the wire. Batches draw their keys
 * from {@value #KEY_SETS} key sets (so that many batches are quick to make); each batch has its own
 * id, sequence number and signature, and the receiver checks every key of every batch.
 */
final class SignedBatches {
  /** Days the keys spread over (within any agreement's retention of at least 14 days). */
  static final int DAYS = 13;

  /** Distinct key sets the batches cycle through. */
  static final int KEY_SETS = 32;

  private static final String[] VISITED = {"AT", "BE", "CH", "DK", "ES", "IT", "NL", "PL"};

  private final String origin;
  private final BatchSigner signer;
  private final Instant now;
  private final SplittableRandom random;
  private final List<List<DiagnosisKey>> keySets = new ArrayList<>();
  private int keySetSize;

  private final boolean sorted;

  /**
   * @param sorted whether keys travel in the order of their sorted key records, as R8.32 asks of an
   *     origin; otherwise in random order, as a careless origin would send them
   */
  SignedBatches(String origin, BatchSigner signer, Instant now, long seed, boolean sorted) {
    this.origin = origin;
    this.signer = signer;
    this.now = now;
    this.random = new SplittableRandom(seed);
    this.sorted = sorted;
  }

  /**
   * The PublishBatch requests of {@code count} signed batches of {@code keysPerBatch} keys, with
   * sequence numbers from {@code first}, serialized.
   */
  List<byte[]> requests(int count, int keysPerBatch, long first) {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(request(first + i, keysPerBatch));
    }
    return out;
  }

  /** The PublishBatch request of one signed batch of {@code keysPerBatch} keys, serialized. */
  synchronized byte[] request(long sequence, int keysPerBatch) {
    if (keySetSize != keysPerBatch) {
      keySets.clear();
      keySetSize = keysPerBatch;
    }
    if (keySets.size() < KEY_SETS) {
      keySets.add(keySet(keysPerBatch));
    }
    return request(sequence, keySets.get((int) (sequence % keySets.size())));
  }

  /** The PublishBatch request of one signed batch of {@code keys}, in their order, serialized. */
  synchronized byte[] request(long sequence, List<DiagnosisKey> keys) {
    DiagnosisKeyBatch b = signer.sign(unsigned(sequence, keys));
    return PublishBatchRequest.newBuilder().setBatch(b).build().toByteArray();
  }

  private DiagnosisKeyBatch unsigned(long sequence, List<DiagnosisKey> keys) {
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(1)
        .setBatchId(ByteString.copyFrom(bytes(16)))
        .setOrigin(origin)
        .setSequence(sequence)
        .setCreatedUnixSeconds(now.getEpochSecond())
        .addAllKeys(keys)
        .build();
  }

  /**
   * {@code n} distinct random keys in the order of their sorted key records, as an origin sends
   * them (R8.32), or shuffled.
   */
  synchronized List<DiagnosisKey> keySet(int n) {
    TreeMap<byte[], DiagnosisKey> byRecord = new TreeMap<>(Arrays::compareUnsigned);
    while (byRecord.size() < n) {
      DiagnosisKey k = key();
      byRecord.put(CanonicalEncoding.keyRecord(k), k);
    }
    List<DiagnosisKey> keys = new ArrayList<>(byRecord.values());
    if (!sorted) {
      for (int i = keys.size() - 1; i > 0; i--) {
        Collections.swap(keys, i, random.nextInt(i + 1));
      }
    }
    return List.copyOf(keys);
  }

  private DiagnosisKey key() {
    long today = now.getEpochSecond() / 600 / 144 * 144;
    DiagnosisKey.Builder k =
        DiagnosisKey.newBuilder()
            .setKeyData(ByteString.copyFrom(bytes(16)))
            .setRollingStartIntervalNumber((int) (today - 144L * (1 + random.nextInt(DAYS))))
            .setRollingPeriod(144)
            .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
            .setTransmissionRiskLevel(random.nextInt(9));
    if (random.nextInt(10) < 7) {
      k.setDaysSinceOnsetOfSymptoms(random.nextInt(29) - 14);
    }
    int visited = random.nextInt(3);
    int from = random.nextInt(VISITED.length - visited + 1);
    for (int i = 0; i < visited; i++) {
      k.addVisitedCountries(VISITED[from + i]);
    }
    return k.build();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
