package org.fedtrace.matching;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;

/**
 * Diagnosis keys to match, as compact columns (no object per key): 16 key bytes, rolling start
 * interval number, rolling period, transmission risk level and days since onset of symptoms. Keys
 * are identified by their index in the batch; {@link Exposure#keyIndex()} refers to it.
 *
 * <p>Immutable. Build one with {@link #builder(int)} (the simulator's path: millions of keys, no
 * protocol objects) or {@link #fromProto(List)} (the node's path).
 */
public final class KeyBatch {
  /** Largest rolling period: a key is valid for at most one day of 144 ten-minute intervals. */
  public static final int MAX_ROLLING_PERIOD = 144;

  /** Largest transmission risk level. */
  public static final int MAX_TRANSMISSION_RISK_LEVEL = 8;

  /** Largest magnitude of days since onset of symptoms. */
  public static final int MAX_DAYS_SINCE_ONSET = 14;

  private static final byte DSOS_ABSENT = Byte.MIN_VALUE;

  private final byte[] keyData;
  private final int[] rollingStarts;
  private final byte[] rollingPeriods;
  private final byte[] transmissionRisk;
  private final byte[] daysSinceOnset;
  private final long rpiCount;

  private KeyBatch(Builder b) {
    int n = b.size;
    keyData = Arrays.copyOf(b.keyData, n * Tokens.LENGTH);
    rollingStarts = Arrays.copyOf(b.rollingStarts, n);
    rollingPeriods = Arrays.copyOf(b.rollingPeriods, n);
    transmissionRisk = Arrays.copyOf(b.transmissionRisk, n);
    daysSinceOnset = Arrays.copyOf(b.daysSinceOnset, n);
    long rpis = 0;
    for (int i = 0; i < n; i++) {
      rpis += rollingPeriods[i] & 0xFF;
    }
    rpiCount = rpis;
  }

  /** A builder with room for {@code expectedKeys} keys before it grows. */
  public static Builder builder(int expectedKeys) {
    return new Builder(expectedKeys);
  }

  /**
   * The keys of a batch, in order. Revoked keys are refused: they withdraw an earlier key and must
   * never cause a notification, so the caller removes them (and withdraws what they caused) first.
   *
   * @throws IllegalArgumentException naming the first key that is out of range
   */
  public static KeyBatch fromProto(List<DiagnosisKey> keys) {
    Builder b = builder(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      DiagnosisKey k = keys.get(i);
      if (k.getReportType() == ReportType.REPORT_TYPE_REVOKED) {
        throw new IllegalArgumentException("key " + i + ": revoked keys are not matched");
      }
      if (k.getRollingStartIntervalNumber() < 0) {
        throw new IllegalArgumentException(
            "key " + i + ": rolling start interval number must be in 0..2147483647");
      }
      try {
        OptionalInt onsetDay = RiskModel.onsetDayForScore(Symptoms.of(k));
        if (onsetDay.isPresent()) {
          b.add(
              k.getKeyData().toByteArray(),
              k.getRollingStartIntervalNumber(),
              k.getRollingPeriod(),
              k.getTransmissionRiskLevel(),
              onsetDay.getAsInt());
        } else {
          b.add(
              k.getKeyData().toByteArray(),
              k.getRollingStartIntervalNumber(),
              k.getRollingPeriod(),
              k.getTransmissionRiskLevel());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key " + i + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** Number of keys. */
  public int size() {
    return rollingStarts.length;
  }

  /** Number of RPIs the keys yield: the sum of their rolling periods. */
  public long rpiCount() {
    return rpiCount;
  }

  /** A copy of the 16 bytes of key {@code i}. */
  public byte[] keyData(int i) {
    return Arrays.copyOfRange(keyData, i * Tokens.LENGTH, (i + 1) * Tokens.LENGTH);
  }

  /** First interval key {@code i} was valid for. */
  public int rollingStart(int i) {
    return rollingStarts[i];
  }

  /** Number of intervals key {@code i} was valid for, 1..144. */
  public int rollingPeriod(int i) {
    return rollingPeriods[i] & 0xFF;
  }

  /** Transmission risk level of key {@code i}, 0..8. */
  public int transmissionRiskLevel(int i) {
    return transmissionRisk[i];
  }

  /** Days since onset of symptoms of key {@code i}, if known. */
  public OptionalInt daysSinceOnset(int i) {
    byte d = daysSinceOnset[i];
    return d == DSOS_ABSENT ? OptionalInt.empty() : OptionalInt.of(d);
  }

  /** Keys {@code from} (inclusive) to {@code to} (exclusive) as a new batch, re-indexed from 0. */
  public KeyBatch slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException(
          "slice " + from + ".." + to + " of a batch of " + size() + " keys");
    }
    Builder b = builder(to - from);
    for (int i = from; i < to; i++) {
      b.append(keyData, i * Tokens.LENGTH, rollingStarts[i], rollingPeriods[i]);
      b.transmissionRisk[b.size - 1] = transmissionRisk[i];
      b.daysSinceOnset[b.size - 1] = daysSinceOnset[i];
    }
    return b.build();
  }

  /** Copies key {@code i}'s bytes into {@code out} (16 bytes). */
  void copyKey(int i, byte[] out) {
    System.arraycopy(keyData, i * Tokens.LENGTH, out, 0, Tokens.LENGTH);
  }

  /** Days since onset, or {@link Byte#MIN_VALUE} when absent. */
  int daysSinceOnsetOrAbsent(int i) {
    return daysSinceOnset[i];
  }

  static boolean isAbsent(int daysSinceOnset) {
    return daysSinceOnset == DSOS_ABSENT;
  }

  /** Collects keys; not thread-safe. */
  public static final class Builder {
    private byte[] keyData;
    private int[] rollingStarts;
    private byte[] rollingPeriods;
    private byte[] transmissionRisk;
    private byte[] daysSinceOnset;
    private int size;

    private Builder(int expectedKeys) {
      if (expectedKeys < 0) {
        throw new IllegalArgumentException("expected keys must be >= 0, got " + expectedKeys);
      }
      int capacity = Math.max(16, expectedKeys);
      keyData = new byte[capacity * Tokens.LENGTH];
      rollingStarts = new int[capacity];
      rollingPeriods = new byte[capacity];
      transmissionRisk = new byte[capacity];
      daysSinceOnset = new byte[capacity];
    }

    /** Adds a key whose days since onset of symptoms are not known. */
    public Builder add(
        byte[] keyData, int rollingStart, int rollingPeriod, int transmissionRiskLevel) {
      check(keyData, rollingStart, rollingPeriod, transmissionRiskLevel);
      append(keyData, 0, rollingStart, (byte) rollingPeriod);
      transmissionRisk[size - 1] = (byte) transmissionRiskLevel;
      daysSinceOnset[size - 1] = DSOS_ABSENT;
      return this;
    }

    /** Adds a key whose days since onset of symptoms are known (-14..14). */
    public Builder add(
        byte[] keyData,
        int rollingStart,
        int rollingPeriod,
        int transmissionRiskLevel,
        int daysSinceOnsetOfSymptoms) {
      check(keyData, rollingStart, rollingPeriod, transmissionRiskLevel);
      if (Math.abs(daysSinceOnsetOfSymptoms) > MAX_DAYS_SINCE_ONSET) {
        throw new IllegalArgumentException(
            "days since onset of symptoms must be in -14..14, got " + daysSinceOnsetOfSymptoms);
      }
      append(keyData, 0, rollingStart, (byte) rollingPeriod);
      transmissionRisk[size - 1] = (byte) transmissionRiskLevel;
      daysSinceOnset[size - 1] = (byte) daysSinceOnsetOfSymptoms;
      return this;
    }

    /** The batch of the keys added so far. */
    public KeyBatch build() {
      return new KeyBatch(this);
    }

    private static void check(byte[] key, int start, int period, int trl) {
      if (key.length != Tokens.LENGTH) {
        throw new IllegalArgumentException("key data must be 16 bytes, got " + key.length);
      }
      if (start < 0) {
        throw new IllegalArgumentException(
            "rolling start interval number must be >= 0, got " + start);
      }
      if (period < 1 || period > MAX_ROLLING_PERIOD) {
        throw new IllegalArgumentException("rolling period must be in 1..144, got " + period);
      }
      if (trl < 0 || trl > MAX_TRANSMISSION_RISK_LEVEL) {
        throw new IllegalArgumentException("transmission risk level must be in 0..8, got " + trl);
      }
    }

    private void append(byte[] key, int offset, int start, byte period) {
      if (size == rollingStarts.length) {
        int capacity = size + (size >> 1);
        keyData = Arrays.copyOf(keyData, capacity * Tokens.LENGTH);
        rollingStarts = Arrays.copyOf(rollingStarts, capacity);
        rollingPeriods = Arrays.copyOf(rollingPeriods, capacity);
        transmissionRisk = Arrays.copyOf(transmissionRisk, capacity);
        daysSinceOnset = Arrays.copyOf(daysSinceOnset, capacity);
      }
      System.arraycopy(key, offset, keyData, size * Tokens.LENGTH, Tokens.LENGTH);
      rollingStarts[size] = start;
      rollingPeriods[size] = period;
      size++;
    }
  }
}
