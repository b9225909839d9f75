package org.fedtrace.conformance.wire;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/**
 * Makes the suite's test keys and batches, valid at the suite's current time unless a case changes
 * them, and signs them with the suite's own encoder and Ed25519. Sequence numbers start from the
 * current time in microseconds, so runs against the same node never reuse one.
 */
public final class Batches {
  /** Seconds per interval (ENIN). */
  public static final long INTERVAL = 600;

  /** Intervals per day. */
  public static final int DAY = 144;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong sequence;
  private final int retentionDays;

  /**
   * @param retentionDays the agreement's retention, bounding how old test keys are
   */
  public Batches(Clock clock, int retentionDays) {
    this.clock = clock;
    this.retentionDays = retentionDays;
    this.sequence = new AtomicLong(clock.millis() * 1000 + random.nextInt(1000));
  }

  /** The suite's current Unix time. */
  public long now() {
    return clock.instant().getEpochSecond();
  }

  /** The current interval number. */
  public long nowInterval() {
    return now() / INTERVAL;
  }

  /** 16 fresh random bytes. */
  public ByteString random16() {
    return randomBytes(16);
  }

  /** {@code n} fresh random bytes. */
  public ByteString randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /** A new sequence number. */
  public long nextSequence() {
    return sequence.getAndIncrement();
  }

  /** A valid key of a whole day, {@code daysAgo} (at least 1) days before today. */
  public DiagnosisKey key(int daysAgo) {
    int days = Math.max(1, Math.min(daysAgo, retentionDays));
    long dayStart = (nowInterval() / DAY - days) * DAY;
    return DiagnosisKey.newBuilder()
        .setKeyData(random16())
        .setRollingStartIntervalNumber((int) dayStart)
        .setRollingPeriod(DAY)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .setDaysSinceOnsetOfSymptoms(-days + 2)
        .setTransmissionRiskLevel(random.nextInt(9))
        .build();
  }

  /** {@code n} valid keys of the last few days. */
  public List<DiagnosisKey> keys(int n) {
    List<DiagnosisKey> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(key(1 + i % 3));
    }
    return out;
  }

  /** An unsigned batch of {@code keys} from {@code origin}: new id and sequence, created now. */
  public DiagnosisKeyBatch.Builder batch(String origin, List<DiagnosisKey> keys) {
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(1)
        .setBatchId(random16())
        .setOrigin(origin)
        .setSequence(nextSequence())
        .setCreatedUnixSeconds(now())
        .addAllKeys(keys);
  }

  /**
   * Sets {@code signer}'s certificate and signs the batch encoding with its key. A batch the
   * encoding cannot represent (a field of the wrong width) gets 64 zero bytes as signature.
   */
  public static DiagnosisKeyBatch sign(DiagnosisKeyBatch.Builder batch, Credential signer) {
    batch.setSignerCertificate(ByteString.copyFrom(signer.der()));
    byte[] signature;
    try {
      signature = Ed25519.sign(signer.privateKey(), Canonical.batch(batch.build()));
    } catch (IllegalArgumentException e) {
      signature = new byte[64];
    }
    return batch.setSignature(ByteString.copyFrom(signature)).build();
  }
}
