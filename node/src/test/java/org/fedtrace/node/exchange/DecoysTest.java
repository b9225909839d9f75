package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;

/** Decoy uploads shaped like real ones (spec R23.2, R23.3). */
class DecoysTest {
  private static final long DAY = 86_400;

  /** 2021-03-10 00:00 UTC. */
  private static final long D = 1_615_334_400L;

  /** A real upload at 10:00 on day D: keys of D-2, D-1 and D (cut at 10:00), onset on D-1. */
  private static Decoys.Shape upload() {
    int day = (int) (D / 600);
    return new Decoys.Shape(
        List.of(key(day - 288, 144, -1), key(day - 144, 144, 0), key(day, 60, 1)), D + 36_000);
  }

  private static DiagnosisKey key(int start, int period, int dsos) {
    return DiagnosisKey.newBuilder()
        .setRollingStartIntervalNumber(start)
        .setRollingPeriod(period)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .setDaysSinceOnsetOfSymptoms(dsos)
        .setTransmissionRiskLevel(6)
        .addVisitedCountries("LU")
        .build();
  }

  @Test
  void aDecoyIsTheChainOfARealUploadMovedToItsOwnUploadTimeWithFreshKeys() {
    Decoys decoys = new Decoys(new Random(1));
    long at = D + DAY + 54_000; // 15:00 the next day: a window of one instant
    List<List<DiagnosisKey>> drawn = decoys.draw(List.of(upload()), 2, 100, new long[] {at, at});
    assertEquals(2, drawn.size());
    int day = (int) ((D + DAY) / 600);
    for (List<DiagnosisKey> decoy : drawn) {
      assertEquals(3, decoy.size(), "as many keys as the real upload");
      for (int i = 0; i < 3; i++) {
        DiagnosisKey k = decoy.get(i);
        assertEquals(day - 288 + 144 * i, k.getRollingStartIntervalNumber(), "consecutive days");
        assertEquals(i - 1, k.getDaysSinceOnsetOfSymptoms(), "days since onset go with the days");
        assertEquals(ReportType.REPORT_TYPE_CONFIRMED_TEST, k.getReportType());
        assertEquals(6, k.getTransmissionRiskLevel());
        assertEquals(List.of("LU"), k.getVisitedCountriesList());
        assertEquals(16, k.getKeyData().size());
      }
      assertEquals(144, decoy.get(1).getRollingPeriod());
      assertEquals(90, decoy.get(2).getRollingPeriod(), "today's key cut at 15:00, not 10:00");
    }
    Set<ByteString> data = new HashSet<>();
    drawn.forEach(d -> d.forEach(k -> data.add(k.getKeyData())));
    assertEquals(6, data.size(), "every decoy key has key data of its own");
  }

  @Test
  void decoysStopWhereTheBatchHasNoRoomForAnother() {
    Decoys decoys = new Decoys(new Random(2));
    long at = D + 40_000;
    assertEquals(1, decoys.draw(List.of(upload()), 2, 5, new long[] {at, at}).size());
    assertEquals(0, decoys.draw(List.of(upload()), 2, 2, new long[] {at, at}).size());
  }

  @Test
  void decoysAreDrawnFromRecentlyPublishedUploadsToo() {
    Decoys decoys = new Decoys(new Random(3));
    Decoys.Shape old = upload();
    decoys.published(List.of(old));
    Decoys.Shape lone =
        new Decoys.Shape(List.of(key((int) (D / 600) + 144, 30, 5)), D + DAY + 18_000);
    long at = D + DAY + 20_000;
    int threeKeyDecoys = 0;
    for (int i = 0; i < 200; i++) {
      for (List<DiagnosisKey> decoy : decoys.draw(List.of(lone), 1, 100, new long[] {at, at})) {
        threeKeyDecoys += decoy.size() == 3 ? 1 : 0;
      }
    }
    // drawn uniformly from the two shapes: 100 expected, 200 * 0.5 +- 5 standard deviations
    assertTrue(threeKeyDecoys > 64 && threeKeyDecoys < 136, "drew " + threeKeyDecoys);
  }

  @Test
  void onlyTheLastUploadsAreRemembered() {
    Decoys decoys = new Decoys(new Random(4));
    for (int i = 0; i < Decoys.RECENT + 10; i++) {
      decoys.published(List.of(upload()));
    }
    assertEquals(Decoys.RECENT, decoys.remembered());
  }
}
