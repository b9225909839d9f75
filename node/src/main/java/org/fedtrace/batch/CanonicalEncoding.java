package org.fedtrace.batch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
  public static final byte[] BATCH_DOMAIN = domain("fedtrace.v1.batch");

  /** Domain separator of the key-set encoding that upload authorizations bind. */
  public static final byte[] KEY_SET_DOMAIN = domain("fedtrace.v1.keyset");

  /** The only batch format version defined. */
  public static final int FORMAT_VERSION = 1;

  /** Length of a batch id. */
  public static final int BATCH_ID_LENGTH = 16;

  /** Most visited countries one key may list. */
  public static final int MAX_VISITED_COUNTRIES = 32;

  private CanonicalEncoding() {}

  /** The bytes a batch signature covers: everything but the certificate and signature. */
  public static byte[] batch(DiagnosisKeyBatch batch) {
    byte[] id = batch.getBatchId().toByteArray();
    requireLength("batch_id", id, BATCH_ID_LENGTH);
    if (batch.getFormatVersion() < 0 || batch.getFormatVersion() > 255) {
      throw new IllegalArgumentException("format_version must fit in one byte");
    }
    byte[][] records = sortedRecords(batch.getKeysList());
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + records.length * 32);
    out.writeBytes(BATCH_DOMAIN);
    out.write(batch.getFormatVersion());
    out.writeBytes(id);
    out.writeBytes(country("origin", batch.getOrigin()));
    out.writeBytes(
        ByteBuffer.allocate(20)
            .putLong(batch.getSequence())
            .putLong(batch.getCreatedUnixSeconds())
            .putInt(records.length)
            .array());
    for (byte[] r : records) {
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  /** SHA-256 of {@link #batch}: the batch's content hash for idempotency and the log. */
  public static byte[] batchDigest(DiagnosisKeyBatch batch) {
    return Sha256.hash(batch(batch));
  }

  /** The key-set encoding: domain, key count, sorted key records. */
  public static byte[] keySet(List<DiagnosisKey> keys) {
    byte[][] records = sortedRecords(keys);
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + records.length * 32);
    out.writeBytes(KEY_SET_DOMAIN);
    out.writeBytes(ByteBuffer.allocate(4).putInt(records.length).array());
    for (byte[] r : records) {
      out.writeBytes(r);
    }
    return out.toByteArray();
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
   * | u8 dsos_present (0 or 1) | i8 days_since_onset_of_symptoms (0 when absent)
   * | u8 transmission_risk_level | u8 n | n x 2 ASCII visited_countries
   * </pre>
   */
  public static byte[] keyRecord(DiagnosisKey key) {
    byte[] data = key.getKeyData().toByteArray();
    requireLength("key_data", data, 16);
    requireRange("rolling_period", key.getRollingPeriod(), 0, 255);
    requireRange("report_type", key.getReportTypeValue(), 0, 255);
    requireRange("transmission_risk_level", key.getTransmissionRiskLevel(), 0, 255);
    int dsos = key.getDaysSinceOnsetOfSymptoms();
    if (key.hasDaysSinceOnsetOfSymptoms()) {
      requireRange("days_since_onset_of_symptoms", dsos, -128, 127);
    }
    int n = key.getVisitedCountriesCount();
    requireRange("visited_countries count", n, 0, MAX_VISITED_COUNTRIES);
    ByteBuffer b = ByteBuffer.allocate(16 + 4 + 6 + 2 * n);
    b.put(data);
    b.putInt(key.getRollingStartIntervalNumber());
    b.put((byte) key.getRollingPeriod());
    b.put((byte) key.getReportTypeValue());
    b.put((byte) (key.hasDaysSinceOnsetOfSymptoms() ? 1 : 0));
    b.put((byte) (key.hasDaysSinceOnsetOfSymptoms() ? dsos : 0));
    b.put((byte) key.getTransmissionRiskLevel());
    b.put((byte) n);
    for (String c : key.getVisitedCountriesList()) {
      b.put(country("visited_countries", c));
    }
    return b.array();
  }

  private static byte[][] sortedRecords(List<DiagnosisKey> keys) {
    List<byte[]> records = new ArrayList<>(keys.size());
    for (DiagnosisKey k : keys) {
      records.add(keyRecord(k));
    }
    records.sort(Arrays::compareUnsigned);
    return records.toArray(new byte[0][]);
  }

  private static byte[] country(String field, String code) {
    if (code.length() != 2
        || code.charAt(0) < 'A'
        || code.charAt(0) > 'Z'
        || code.charAt(1) < 'A'
        || code.charAt(1) > 'Z') {
      throw new IllegalArgumentException(field + " must be two upper-case ASCII letters");
    }
    return code.getBytes(StandardCharsets.US_ASCII);
  }

  private static void requireLength(String field, byte[] b, int length) {
    if (b.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + b.length);
    }
  }

  private static void requireRange(String field, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " must be in " + min + ".." + max);
    }
  }

  private static byte[] domain(String label) {
    byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(ascii, ascii.length + 1);
  }
}
