package org.fedtrace.export;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;

/**
 * Padding keys for export files (spec R24.4–R24.7): 16 bytes from a cryptographically secure
 * generator, with the metadata of the file's real keys, each real key lending its metadata in turn
 * in a fresh random order each round, so that every real key has as many lookalikes as any other. A
 * file without real keys takes whole-day keys of the retention period that the window may release.
 */
public final class Padding {
  private static final int DAY_INTERVALS = 144;
  private static final long DAY_SECONDS = 86_400;
  private static final int FALLBACK_DAYS = 14;

  private Padding() {}

  /**
   * {@code keys} and enough padding keys to hold at least {@code minKeys}.
   *
   * @param windowEnd the end of the file's window: every padding key is releasable by then
   */
  public static List<DiagnosisKey> pad(
      List<DiagnosisKey> keys,
      int minKeys,
      long windowEnd,
      long delaySeconds,
      SecureRandom random) {
    List<DiagnosisKey> out = new ArrayList<>(Math.max(minKeys, keys.size()));
    out.addAll(keys);
    List<DiagnosisKey> lenders = new ArrayList<>(keys);
    int next = lenders.size();
    while (out.size() < minKeys) {
      DiagnosisKey shape;
      if (lenders.isEmpty()) {
        shape = wholeDay(windowEnd, delaySeconds, random);
      } else {
        if (next == lenders.size()) {
          Collections.shuffle(lenders, random);
          next = 0;
        }
        shape = lenders.get(next++);
      }
      out.add(shape.toBuilder().setKeyData(randomKey(random)).build());
    }
    return out;
  }

  private static DiagnosisKey wholeDay(long windowEnd, long delaySeconds, SecureRandom random) {
    long lastDay = (windowEnd - delaySeconds) / DAY_SECONDS - 1;
    long day = lastDay - random.nextInt(FALLBACK_DAYS);
    return DiagnosisKey.newBuilder()
        .setRollingStartIntervalNumber((int) (day * DAY_INTERVALS))
        .setRollingPeriod(DAY_INTERVALS)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .build();
  }

  private static ByteString randomKey(SecureRandom random) {
    byte[] key = new byte[16];
    random.nextBytes(key);
    return ByteString.copyFrom(key);
  }
}
