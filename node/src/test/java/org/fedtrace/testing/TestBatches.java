package org.fedtrace.testing;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/** Valid keys and batches for tests, relative to a given "now", from a seeded generator. */
public final class TestBatches {
  private final Random random;
  private final Instant now;

  /** A generator whose keys are valid at {@code now}. */
  public TestBatches(long seed, Instant now) {
    this.random = new Random(seed);
    this.now = now;
  }

  /** The current interval number at "now". */
  public long nowInterval() {
    return now.getEpochSecond() / 600;
  }

  /** A valid key of the day {@code daysAgo} days before today (0 = today, up to now). */
  public DiagnosisKey key(int daysAgo) {
    byte[] data = new byte[16];
    random.nextBytes(data);
    long dayStart = (nowInterval() / 144 - daysAgo) * 144;
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber((int) dayStart)
        .setRollingPeriod(daysAgo == 0 ? (int) Math.max(1, nowInterval() - dayStart) : 144)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .setDaysSinceOnsetOfSymptoms(daysAgo - 2)
        .setTransmissionRiskLevel(random.nextInt(9))
        .build();
  }

  /** {@code n} valid keys spread over the last {@code days} days. */
  public List<DiagnosisKey> keys(int n, int days) {
    List<DiagnosisKey> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(key(1 + i % days));
    }
    return out;
  }

  /** An unsigned, valid batch of {@code keys} from {@code origin}. */
  public DiagnosisKeyBatch batch(String origin, long sequence, List<DiagnosisKey> keys) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(1)
        .setBatchId(ByteString.copyFrom(id))
        .setOrigin(origin)
        .setSequence(sequence)
        .setCreatedUnixSeconds(now.getEpochSecond())
        .addAllKeys(keys)
        .setSignature(ByteString.copyFrom(new byte[64]))
        .build();
  }

  /** Parses a stored batch's payload. */
  public static DiagnosisKeyBatch parse(byte[] payload) {
    try {
      return DiagnosisKeyBatch.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored batch does not parse", e);
    }
  }
}
