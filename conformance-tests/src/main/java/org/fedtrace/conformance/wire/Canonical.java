package org.fedtrace.conformance.wire;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.SymptomStatus;
import org.fedtrace.proto.v1.UploadAuthorization;

/**
 * The suite's own implementation of the canonical encodings of spec section 5, written from the
 * spec and checked against spec/testvectors, independently of any node's code: batch encoding
 * (§5.3), key-set encoding (§5.4), upload-authorization encoding (§5.5) and the content hash
 * (§5.6).
 *
 * <p>Encoders refuse values that do not fit their width (the vectors' invalid cases), but not
 * values that merely break a validation rule: the suite signs such batches to test the node.
 */
public final class Canonical {
  private static final byte[] BATCH = label("fedtrace.v1.batch");
  private static final byte[] MEMBER_BATCH = label("fedtrace.v1.member-batch");
  private static final byte[] KEYSET = label("fedtrace.v1.keyset");
  private static final byte[] AUTHORIZATION = label("fedtrace.v1.upload-authorization");
  private static final int MAX_VISITED = 32;

  private Canonical() {}

  /**
   * The batch encoding: what a batch signature covers.
   *
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static byte[] batch(DiagnosisKeyBatch b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String origin = b.getOrigin();
    boolean member = origin.length() != 2;
    out.writeBytes(member ? MEMBER_BATCH : BATCH);
    out.write(u8("format_version", b.getFormatVersion()));
    out.writeBytes(fixed("batch_id", b.getBatchId(), 16));
    if (member) {
      // a member origin CC-operator-id (§26.2): length-prefixed, under its own label
      if (!origin.matches("[A-Z]{2}-[a-z0-9-]{1,32}")) {
        throw new IllegalArgumentException("origin is neither CC nor CC-operator-id");
      }
      out.write(origin.length());
      out.writeBytes(origin.getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(country("origin", origin));
    }
    out.writeBytes(ByteBuffer.allocate(8).putLong(b.getSequence()).array());
    out.writeBytes(ByteBuffer.allocate(8).putLong(b.getCreatedUnixSeconds()).array());
    if (b.getFormatVersion() == 2) {
      out.write(u8("scope", b.getScopeValue())); // §5.3: format 2 signs the scope
    }
    out.writeBytes(sortedRecords(b.getKeysList()));
    return out.toByteArray();
  }

  /**
   * The key-set encoding, whose SHA-256 an upload authorization carries as {@code keys_digest}.
   *
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static byte[] keySet(List<DiagnosisKey> keys) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(KEYSET);
    out.writeBytes(sortedRecords(keys));
    return out.toByteArray();
  }

  /**
   * One key record (§5.3).
   *
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static byte[] keyRecord(DiagnosisKey k) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(fixed("key_data", k.getKeyData(), 16));
    out.writeBytes(ByteBuffer.allocate(4).putInt(k.getRollingStartIntervalNumber()).array());
    out.write(u8("rolling_period", k.getRollingPeriod()));
    out.write(u8("report_type", k.getReportTypeValue()));
    if (k.hasSymptomStatus()) {
      out.writeBytes(symptomStatus(k));
    } else if (k.hasDaysSinceOnsetOfSymptoms()) {
      out.write(1);
      out.write(i8("days_since_onset_of_symptoms", k.getDaysSinceOnsetOfSymptoms()));
    } else {
      out.write(0);
      out.write(0);
    }
    out.write(u8("transmission_risk_level", k.getTransmissionRiskLevel()));
    List<String> visited = k.getVisitedCountriesList();
    if (visited.size() > MAX_VISITED) {
      throw new IllegalArgumentException("more than 32 visited countries: " + visited.size());
    }
    out.write(visited.size());
    for (String c : visited) {
      out.writeBytes(country("visited_countries", c));
    }
    return out.toByteArray();
  }

  /**
   * The upload-authorization encoding a health authority signs (131 bytes).
   *
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static byte[] authorization(UploadAuthorization a) {
    return ByteBuffer.allocate(AUTHORIZATION.length + 16 + 2 + 32 + 8 + 8 + 32)
        .put(AUTHORIZATION)
        .put(fixed("authorization_id", a.getAuthorizationId(), 16))
        .put(country("country", a.getCountry()))
        .put(fixed("health_authority_key_id", a.getHealthAuthorityKeyId(), 32))
        .putLong(a.getIssuedUnixSeconds())
        .putLong(a.getExpiresUnixSeconds())
        .put(fixed("keys_digest", a.getKeysDigest(), 32))
        .array();
  }

  /** SHA-256. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The content hash of a batch: SHA-256 of its batch encoding. */
  public static byte[] contentHash(DiagnosisKeyBatch b) {
    return sha256(batch(b));
  }

  private static byte[] sortedRecords(List<DiagnosisKey> keys) {
    List<byte[]> records = new ArrayList<>(keys.size());
    int length = 4;
    for (DiagnosisKey k : keys) {
      byte[] r = keyRecord(k);
      records.add(r);
      length += r.length;
    }
    records.sort(Arrays::compareUnsigned);
    ByteBuffer out = ByteBuffer.allocate(length).putInt(keys.size());
    records.forEach(out::put);
    return out.array();
  }

  /**
   * The symptom byte and day count of a key with {@code symptom_status} (§26.1): 0x10 + range days
   * for an onset range, 02 onset unknown, 03 asymptomatic, 04 status unknown.
   */
  private static byte[] symptomStatus(DiagnosisKey k) {
    if (k.hasDaysSinceOnsetOfSymptoms()) {
      throw new IllegalArgumentException("a key carries days since onset or a symptom status");
    }
    SymptomStatus s = k.getSymptomStatus();
    return switch (s.getStatusCase()) {
      case ONSET_RANGE -> {
        int n = s.getOnsetRange().getRangeDays();
        if (n < 1 || n > 19) {
          throw new IllegalArgumentException("range_days outside 1..19: " + n);
        }
        yield new byte[] {
          (byte) (0x10 + n),
          (byte) i8("days_since_range_end", s.getOnsetRange().getDaysSinceRangeEnd())
        };
      }
      case ONSET_UNKNOWN_DAYS_SINCE_SUBMISSION ->
          new byte[] {2, (byte) i8("days", s.getOnsetUnknownDaysSinceSubmission())};
      case ASYMPTOMATIC_DAYS_SINCE_SUBMISSION ->
          new byte[] {3, (byte) i8("days", s.getAsymptomaticDaysSinceSubmission())};
      case UNKNOWN_DAYS_SINCE_SUBMISSION ->
          new byte[] {4, (byte) i8("days", s.getUnknownDaysSinceSubmission())};
      case STATUS_NOT_SET -> throw new IllegalArgumentException("symptom_status sets no state");
    };
  }

  private static int i8(String field, int value) {
    if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
      throw new IllegalArgumentException(field + " does not fit i8: " + value);
    }
    return value;
  }

  private static int u8(String field, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(field + " does not fit u8: " + value);
    }
    return value;
  }

  private static byte[] fixed(String field, ByteString value, int length) {
    if (value.size() != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes: " + value.size());
    }
    return value.toByteArray();
  }

  private static byte[] country(String field, String code) {
    if (code.length() != 2 || !isUpper(code.charAt(0)) || !isUpper(code.charAt(1))) {
      throw new IllegalArgumentException(field + " is not two letters A..Z");
    }
    return code.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static byte[] label(String text) {
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(ascii, ascii.length + 1);
  }
}
