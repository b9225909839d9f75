package org.fedtrace.batch;

import com.google.protobuf.ByteString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.crypto.DomainLabel;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * The canonical byte encodings of spec/protocol.md section 5. They are what signatures and digests
 * cover, so they are defined byte by byte and never depend on how a protobuf encoder happened to
 * order or encode fields.
 *
 * <p>All integers are big-endian. Key records are sorted by unsigned lexicographic comparison of
 * their encoded bytes, so the encoding of a batch does not depend on the order of its keys.
 *
 * <p>Encoding requires the fixed-width fields to have their exact sizes and ranges; it throws
 * {@link IllegalArgumentException} otherwise. Callers validate input against the spec's rules
 * first, and report violations with the rule that failed.
 */
public final class CanonicalEncoding {
  /** Domain separator of the batch encoding: ASCII "fedtrace.v1.batch" and a zero byte. */
  public static final byte[] BATCH_DOMAIN = DomainLabel.of("fedtrace.v1.batch");

  /**
   * Domain separator of the batch encoding of a member origin longer than a country code (spec
   * §26.2): ASCII "fedtrace.v1.member-batch" and a zero byte.
   */
  public static final byte[] MEMBER_BATCH_DOMAIN = DomainLabel.of("fedtrace.v1.member-batch");

  /** Domain separator of the key-set encoding that upload authorizations bind. */
  public static final byte[] KEY_SET_DOMAIN = DomainLabel.of("fedtrace.v1.keyset");

  /** The batch format version without a scope: its scope is FEDERATE (spec §25). */
  public static final int FORMAT_VERSION = 1;

  /** The batch format version whose encoding carries the batch's scope (spec §5.3, §25). */
  public static final int FORMAT_VERSION_SCOPED = 2;

  /** Length of a batch id. */
  public static final int BATCH_ID_LENGTH = 16;

  /** Most visited countries one key may list. */
  public static final int MAX_VISITED_COUNTRIES = 32;

  /** Symptom byte of a key record: no symptom information. */
  public static final int SYMPTOMS_NONE = 0x00;

  /** Symptom byte: symptomatic, onset known (days_since_onset_of_symptoms present). */
  public static final int SYMPTOMS_KNOWN_ONSET = 0x01;

  /** Symptom byte: symptomatic, onset unknown. */
  public static final int SYMPTOMS_ONSET_UNKNOWN = 0x02;

  /** Symptom byte: asymptomatic. */
  public static final int SYMPTOMS_ASYMPTOMATIC = 0x03;

  /** Symptom byte: symptom status unknown. */
  public static final int SYMPTOMS_STATUS_UNKNOWN = 0x04;

  /** Symptom byte of an onset range of n days, 1..19, is this plus n (0x11..0x23). */
  public static final int SYMPTOMS_ONSET_RANGE = 0x10;

  /** Length of a key record without its visited countries. */
  private static final int RECORD_FIXED_LENGTH = 26;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private CanonicalEncoding() {}

  /** The bytes a batch signature covers: everything but the certificate and signature. */
  public static byte[] batch(DiagnosisKeyBatch batch) {
    ByteString id = batch.getBatchId();
    requireLength("batch_id", id.size(), BATCH_ID_LENGTH);
    if (batch.getFormatVersion() < 0 || batch.getFormatVersion() > 255) {
      throw new IllegalArgumentException("format_version must fit in one byte");
    }
    List<DiagnosisKey> keys = batch.getKeysList();
    boolean scoped = batch.getFormatVersion() == FORMAT_VERSION_SCOPED;
    if (scoped && (batch.getScopeValue() < 0 || batch.getScopeValue() > 255)) {
      throw new IllegalArgumentException("scope must fit in one byte");
    }
    String origin = batch.getOrigin();
    boolean member = origin.length() != 2;
    byte[] domain = member ? MEMBER_BATCH_DOMAIN : BATCH_DOMAIN;
    int originLength = member ? 1 + memberOriginLength(origin) : 2;
    int header = domain.length + 1 + BATCH_ID_LENGTH + originLength + 8 + 8 + (scoped ? 1 : 0) + 4;
    Records records = Records.encode(keys, header);
    byte[] out = records.bytes;
    System.arraycopy(domain, 0, out, 0, domain.length);
    int p = domain.length;
    out[p++] = (byte) batch.getFormatVersion();
    id.copyTo(out, p);
    p += BATCH_ID_LENGTH;
    if (member) {
      out[p++] = (byte) origin.length();
      for (int i = 0; i < origin.length(); i++) {
        out[p++] = (byte) origin.charAt(i);
      }
    } else {
      p = putCountry(out, p, "origin", origin);
    }
    p = putLong(out, p, batch.getSequence());
    p = putLong(out, p, batch.getCreatedUnixSeconds());
    if (scoped) {
      out[p++] = (byte) batch.getScopeValue(); // format 2: the scope is signed (§5.3)
    }
    putInt(out, p, keys.size());
    return records.sorted();
  }

  /** SHA-256 of {@link #batch}: the batch's content hash for idempotency and the log. */
  public static byte[] batchDigest(DiagnosisKeyBatch batch) {
    return Sha256.hash(batch(batch));
  }

  /** The key-set encoding: domain, key count, sorted key records. */
  public static byte[] keySet(List<DiagnosisKey> keys) {
    Records records = Records.encode(keys, KEY_SET_DOMAIN.length + 4);
    System.arraycopy(KEY_SET_DOMAIN, 0, records.bytes, 0, KEY_SET_DOMAIN.length);
    putInt(records.bytes, KEY_SET_DOMAIN.length, keys.size());
    return records.sorted();
  }

  /** SHA-256 of {@link #keySet}: what an upload authorization's keys_digest must equal. */
  public static byte[] keySetDigest(List<DiagnosisKey> keys) {
    return Sha256.hash(keySet(keys));
  }

  /**
   * One key record.
   *
   * <pre>
   * 16 key_data | u32 rolling_start_interval_number | u8 rolling_period | u8 report_type
   * | u8 symptoms (0 none, 1 days_since_onset_of_symptoms, else symptom_status, §26.1)
   * | i8 day count (0 when none)
   * | u8 transmission_risk_level | u8 n | n x 2 ASCII visited_countries
   * </pre>
   */
  public static byte[] keyRecord(DiagnosisKey key) {
    byte[] out = new byte[recordLength(key)];
    putRecord(out, 0, key);
    return out;
  }

  /**
   * {@code keys} in the order of their sorted key records (§5.1): the order in which an origin
   * sends them (R8.32).
   */
  public static List<DiagnosisKey> sortedKeys(List<DiagnosisKey> keys) {
    Records records = Records.encode(keys, 0);
    int[] order = records.order();
    List<DiagnosisKey> out = new ArrayList<>(keys.size());
    for (int i : order) {
      out.add(keys.get(i));
    }
    return out;
  }

  /** Length of the record of {@code key}, after checking every width (§5.3). */
  private static int recordLength(DiagnosisKey key) {
    requireLength("key_data", key.getKeyData().size(), 16);
    requireRange("rolling_period", key.getRollingPeriod(), 0, 255);
    requireRange("report_type", key.getReportTypeValue(), 0, 255);
    requireRange("transmission_risk_level", key.getTransmissionRiskLevel(), 0, 255);
    if (key.hasSymptomStatus()) {
      Symptoms.of(key);
    } else if (key.hasDaysSinceOnsetOfSymptoms()) {
      requireRange("days_since_onset_of_symptoms", key.getDaysSinceOnsetOfSymptoms(), -128, 127);
    }
    int n = key.getVisitedCountriesCount();
    requireRange("visited_countries count", n, 0, MAX_VISITED_COUNTRIES);
    return RECORD_FIXED_LENGTH + 2 * n;
  }

  /** Writes the record of a checked {@code key} at {@code p}; returns the position after it. */
  private static int putRecord(byte[] out, int p, DiagnosisKey key) {
    key.getKeyData().copyTo(out, p);
    p = putInt(out, p + 16, key.getRollingStartIntervalNumber());
    out[p++] = (byte) key.getRollingPeriod();
    out[p++] = (byte) key.getReportTypeValue();
    if (key.hasSymptomStatus()) {
      p = putSymptoms(out, p, Symptoms.of(key));
    } else {
      boolean dsos = key.hasDaysSinceOnsetOfSymptoms();
      out[p++] = (byte) (dsos ? SYMPTOMS_KNOWN_ONSET : SYMPTOMS_NONE);
      out[p++] = (byte) (dsos ? key.getDaysSinceOnsetOfSymptoms() : 0);
    }
    out[p++] = (byte) key.getTransmissionRiskLevel();
    int n = key.getVisitedCountriesCount();
    out[p++] = (byte) n;
    for (int i = 0; i < n; i++) {
      p = putCountry(out, p, "visited_countries", key.getVisitedCountries(i));
    }
    return p;
  }

  /**
   * Key records written in message order behind a header, then put in sorted order. Keys usually
   * arrive sorted already (R8.32), which one comparison per key confirms; otherwise they are sorted
   * on a primitive array of 64-bit prefixes, with full comparisons only among records that share a
   * prefix.
   */
  private static final class Records {
    private final byte[] bytes;
    private final int header;
    private final int[] offsets;
    private boolean inOrder = true;

    private Records(byte[] bytes, int header, int[] offsets) {
      this.bytes = bytes;
      this.header = header;
      this.offsets = offsets;
    }

    static Records encode(List<DiagnosisKey> keys, int header) {
      int n = keys.size();
      int[] offsets = new int[n + 1];
      int p = header;
      for (int i = 0; i < n; i++) {
        offsets[i] = p;
        p += recordLength(keys.get(i));
      }
      offsets[n] = p;
      Records r = new Records(new byte[p], header, offsets);
      for (int i = 0; i < n; i++) {
        putRecord(r.bytes, offsets[i], keys.get(i));
        if (i > 0 && r.inOrder && r.compare(i - 1, i) > 0) {
          r.inOrder = false;
        }
      }
      return r;
    }

    /** The header and the records in sorted order. */
    byte[] sorted() {
      if (inOrder) {
        return bytes;
      }
      byte[] out = new byte[bytes.length];
      System.arraycopy(bytes, 0, out, 0, header);
      int p = header;
      for (int i : order()) {
        int length = offsets[i + 1] - offsets[i];
        System.arraycopy(bytes, offsets[i], out, p, length);
        p += length;
      }
      return out;
    }

    /** Indexes of the records in sorted order. */
    int[] order() {
      int n = offsets.length - 1;
      int[] order = new int[n];
      if (inOrder) {
        Arrays.setAll(order, i -> i);
        return order;
      }
      int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
      long[] keyed = new long[n];
      for (int i = 0; i < n; i++) {
        long prefix = (long) LONG.get(bytes, offsets[i]);
        keyed[i] = ((prefix >>> indexBits) << indexBits | i) ^ Long.MIN_VALUE;
      }
      Arrays.sort(keyed);
      int mask = (1 << indexBits) - 1;
      for (int i = 0; i < n; i++) {
        order[i] = (int) (keyed[i] & mask);
      }
      for (int start = 0; start < n; ) {
        int end = start + 1;
        while (end < n && keyed[end] >>> indexBits == keyed[start] >>> indexBits) {
          end++;
        }
        if (end - start > 1) {
          sortRange(order, start, end);
        }
        start = end;
      }
      return order;
    }

    /** Sorts {@code order[from..to)} by full record comparison (records sharing a prefix). */
    private void sortRange(int[] order, int from, int to) {
      Integer[] range = new Integer[to - from];
      for (int i = from; i < to; i++) {
        range[i - from] = order[i];
      }
      Arrays.sort(range, this::compare);
      for (int i = from; i < to; i++) {
        order[i] = range[i - from];
      }
    }

    private int compare(int a, int b) {
      return Arrays.compareUnsigned(
          bytes, offsets[a], offsets[a + 1], bytes, offsets[b], offsets[b + 1]);
    }
  }

  /**
   * The symptom byte and the day count of a key record (§5.3, §26.1): {@code 00 00} nothing, {@code
   * 01 d} a known onset, {@code 10+n d} an onset range of n days, {@code 02 d} onset unknown,
   * {@code 03 d} asymptomatic, {@code 04 d} status unknown.
   */
  public static int putSymptoms(byte[] out, int p, Symptoms symptoms) {
    out[p] = (byte) symptoms.recordByte();
    out[p + 1] = (byte) symptoms.days();
    return p + 2;
  }

  /** The length of a member origin {@code CC-operator-id} (§26.2), after checking its syntax. */
  private static int memberOriginLength(String origin) {
    putCountry(new byte[2], 0, "origin", origin.length() >= 2 ? origin.substring(0, 2) : origin);
    if (origin.length() < 4 || origin.length() > 35 || origin.charAt(2) != '-') {
      throw new IllegalArgumentException("origin must be CC or CC-operator-id");
    }
    for (int i = 3; i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        throw new IllegalArgumentException("origin must be CC or CC-operator-id");
      }
    }
    return origin.length();
  }

  private static int putCountry(byte[] out, int p, String field, String code) {
    if (code.length() != 2
        || code.charAt(0) < 'A'
        || code.charAt(0) > 'Z'
        || code.charAt(1) < 'A'
        || code.charAt(1) > 'Z') {
      throw new IllegalArgumentException(field + " must be two upper-case ASCII letters");
    }
    out[p] = (byte) code.charAt(0);
    out[p + 1] = (byte) code.charAt(1);
    return p + 2;
  }

  private static int putInt(byte[] out, int p, int v) {
    INT.set(out, p, v);
    return p + 4;
  }

  private static int putLong(byte[] out, int p, long v) {
    LONG.set(out, p, v);
    return p + 8;
  }

  private static void requireLength(String field, int actual, int length) {
    if (actual != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + actual);
    }
  }

  private static void requireRange(String field, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " must be in " + min + ".." + max);
    }
  }
}
